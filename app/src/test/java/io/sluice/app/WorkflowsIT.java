package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Workflows and job dependencies end to end: jobs delivered over HTTP through Kafka, their
 * outcomes projected from {@code sluice.events}, and what waits for them released or cancelled.
 * The receiver answers 500 for the keys listed in {@link #failing}.
 */
class WorkflowsIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aSixJobDiamondInModeAllRunsEveryJobAfterAllItsDependencies() {
        receiver.answering(d -> 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("wf-all"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/wf"));

        Created wf = create(tenant, endpoint, "all");

        JsonNode done = awaitWorkflow(tenant, wf.id(), "completed");
        assertThat(done.get("total_jobs").asInt()).isEqualTo(6);
        assertThat(done.get("completed_jobs").asInt()).isEqualTo(6);
        assertThat(done.get("progress_percent").asInt()).isEqualTo(100);
        assertThat(done.get("completed_at").isNull()).isFalse();
        assertThat(done.get("dependencies")).hasSize(6);
        assertThat(done.get("progress").get("completed").asInt()).isEqualTo(6);
        assertDeliveredAfter(wf, "b", "a");
        assertDeliveredAfter(wf, "c", "a");
        assertDeliveredAfter(wf, "d", "b");
        assertDeliveredAfter(wf, "d", "c");
        assertDeliveredAfter(wf, "e", "d");
        assertDeliveredAfter(wf, "f", "d");
        JsonNode d = client.get(tenant.apiKey(), "/api/v1/jobs/" + wf.job("d")).body();
        assertThat(d.get("workflow_id").asString()).isEqualTo(wf.id());
        assertThat(d.get("dependency_mode").asString()).isEqualTo("all");
        assertThat(d.get("dependencies_met").asBoolean()).isTrue();
    }

    @Test
    void inModeAllAFailedJobCancelsEveryDescendantAndARetryOfTheWorkflowRunsThemAll() {
        failing.add("b");
        receiver.answering(this::answer);
        SluiceClient.Tenant tenant = client.newOrganization(unique("wf-fail"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/wf"));

        Created wf = create(tenant, endpoint, "all");

        JsonNode failed = awaitWorkflow(tenant, wf.id(), "failed");
        assertThat(statuses(tenant, wf)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "completed",
                "b", "deadletter", "c", "completed", "d", "cancelled", "e", "cancelled", "f", "cancelled"));
        assertThat(failed.get("failed_jobs").asInt()).isEqualTo(4);
        assertThat(delivered(wf, "d")).isFalse();
        assertThat(client.get(tenant.apiKey(), "/api/v1/workflows?status=failed").body())
                .extracting(w -> w.get("id").asString()).containsExactly(wf.id());

        // when: the receiver recovers and the workflow is retried
        failing.clear();
        SluiceClient.Answer retried = client.post(tenant.apiKey(), "/api/v1/workflows/" + wf.id() + "/retry", "{}");

        // then: b runs again, and what its failure cancelled runs after it; a and c are not run again
        assertThat(retried.status()).as(retried.raw()).isEqualTo(200);
        awaitWorkflow(tenant, wf.id(), "completed");
        assertThat(receiver.deliveriesOf(wf.job("a"))).hasSize(1);
        assertDeliveredAfter(wf, "d", "b");
        assertDeliveredAfter(wf, "f", "d");
        SluiceClient.Answer again = client.post(tenant.apiKey(), "/api/v1/workflows/" + wf.id() + "/retry", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("message").asString()).contains("failed");
    }

    @Test
    void inModeAnyOneCompletedDependencyIsEnough() {
        failing.add("c");
        receiver.answering(this::answer);
        SluiceClient.Tenant tenant = client.newOrganization(unique("wf-any"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/wf"));

        Created wf = create(tenant, endpoint, "any");

        // c's failure is tolerated by d, so everything else runs, and the workflow completes: it
        // got past the failure, which it still counts
        JsonNode done = awaitWorkflow(tenant, wf.id(), "completed");
        assertThat(done.get("failed_jobs").asInt()).isEqualTo(1);
        assertThat(done.get("progress_percent").asInt()).isEqualTo(100);
        assertThat(statuses(tenant, wf)).containsExactlyInAnyOrderEntriesOf(Map.of("a", "completed",
                "b", "completed", "c", "deadletter", "d", "completed", "e", "completed", "f", "completed"));
        assertDeliveredAfter(wf, "d", "b");
    }

    @Test
    void aWorkflowThatIsNotADagOrHasABadJobIsRefusedAndNothingIsCreated() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("wf-refused"));

        assertRefused(tenant, "{\"name\":\"w\",\"jobs\":[" + job("a", "c") + "," + job("b", "a") + ","
                + job("c", "b") + "]}", "jobs", "cycle");
        assertRefused(tenant, "{\"name\":\"w\",\"jobs\":[" + job("a") + "," + job("b", "x") + "]}",
                "jobs[1].depends_on", "'x' is not the key");
        assertRefused(tenant, "{\"name\":\"w\",\"jobs\":[" + job("a") + "," + job("a") + "]}", "jobs[1].key",
                "is used by");
        assertRefused(tenant, "{\"name\":\"w\",\"jobs\":[" + job("a") + ",{\"key\":\"b\",\"payload\":{}}]}",
                "jobs[1].queue_name", "queue_name");
        assertRefused(tenant, "{\"name\":\"w\",\"jobs\":[]}", "jobs", "1 to 100");
        assertRefused(tenant, "{\"jobs\":[" + job("a") + "]}", "name", "name");

        assertThat(client.get(tenant.apiKey(), "/api/v1/workflows").body()).isEmpty();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs").body()).isEmpty();
        assertThat(client.get(tenant.apiKey(), "/api/v1/workflows/" + java.util.UUID.randomUUID()).status())
                .isEqualTo(404);
    }

    @Test
    void aCancelledWorkflowCancelsEveryJobNotStarted() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("wf-cancel"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/wf"));
        String later = Instant.now().plus(Duration.ofHours(1)).toString();
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/workflows", "{\"name\":\"later\","
                + "\"jobs\":[{\"key\":\"a\",\"queue_name\":\"wf\",\"endpoint_id\":\"" + endpoint.id()
                + "\",\"payload\":{},\"scheduled_at\":\"" + later + "\"},{\"key\":\"b\",\"queue_name\":\"wf\","
                + "\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{},\"depends_on\":[\"a\"]}]}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String id = created.body().get("workflow_id").asString();

        SluiceClient.Answer cancelled = client.post(tenant.apiKey(), "/api/v1/workflows/" + id + "/cancel", "{}");

        assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("cancelled");
        assertThat(client.get(tenant.apiKey(), "/api/v1/workflows/" + id + "/jobs/status").body())
                .extracting(j -> j.get("status").asString()).containsOnly("cancelled");
        assertThat(client.post(tenant.apiKey(), "/api/v1/workflows/" + id + "/retry", "{}").status())
                .isEqualTo(409);
    }

    @Test
    void aDependencyAddedToAWaitingJobHoldsItUntilTheOtherCompletesAndACycleIsRefused() {
        receiver.answering(d -> 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("deps"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/deps"));
        // first is due in 3 s, second in 1 s: the dependency makes second wait for first
        String first = delayed(tenant, endpoint, Duration.ofSeconds(3));
        String second = delayed(tenant, endpoint, Duration.ofSeconds(1));

        SluiceClient.Answer added = client.post(tenant.apiKey(), "/api/v1/jobs/" + second + "/dependencies",
                "{\"depends_on_job_ids\":[\"" + first + "\"]}");
        SluiceClient.Answer cycle = client.post(tenant.apiKey(), "/api/v1/jobs/" + first + "/dependencies",
                "{\"depends_on\":[\"" + second + "\"],\"dependency_mode\":\"any\"}");

        assertThat(added.status()).as(added.raw()).isEqualTo(200);
        assertThat(added.body().get("added").asInt()).isEqualTo(1);
        assertThat(added.body().get("dependencies_met").asBoolean()).isFalse();
        assertThat(added.body().get("dependencies").get(0).get("depends_on_job_id").asString()).isEqualTo(first);
        assertThat(cycle.status()).as(cycle.raw()).isEqualTo(400);
        assertThat(cycle.body().get("message").asString()).contains("cycle");
        awaitStatus(tenant, second, "completed");
        assertThat(receiver.deliveriesOf(second).getFirst().receivedAt())
                .isAfter(receiver.deliveriesOf(first).getFirst().receivedAt());
        JsonNode view = client.get(tenant.apiKey(), "/api/v1/jobs/" + second + "/dependencies").body();
        assertThat(view.get("dependencies_met").asBoolean()).isTrue();
        assertThat(view.get("dependencies").get(0).get("status").asString()).isEqualTo("completed");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + first + "/dependencies").body()
                .get("dependents").get(0).get("job_id").asString()).isEqualTo(second);
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + second + "/dependencies",
                "{\"depends_on_job_ids\":[\"" + first + "\"]}").status()).isEqualTo(409);
    }

    /** a -> b, c -> d (in {@code mode}) -> e, f; every job delivered to the receiver, none retried. */
    private Created create(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String mode) {
        String jobs = String.join(",", webhookJob(endpoint, "a", "all"), webhookJob(endpoint, "b", "all", "a"),
                webhookJob(endpoint, "c", "all", "a"), webhookJob(endpoint, "d", mode, "b", "c"),
                webhookJob(endpoint, "e", "all", "d"), webhookJob(endpoint, "f", "all", "d"));
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/workflows",
                "{\"name\":\"diamond\",\"metadata\":{\"team\":\"ops\"},\"jobs\":[" + jobs + "]}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        assertThat(created.body().get("status").asString()).isEqualTo("pending");
        Map<String, String> ids = new HashMap<>();
        created.body().get("job_ids").forEach(j -> ids.put(j.get("key").asString(), j.get("job_id").asString()));
        return new Created(created.body().get("workflow_id").asString(), ids);
    }

    private record Created(String id, Map<String, String> jobs) {
        String job(String key) {
            return jobs.get(key);
        }
    }

    private static String webhookJob(SluiceClient.Receiver endpoint, String key, String mode, String... dependsOn) {
        return "{\"key\":\"" + key + "\",\"queue_name\":\"wf\",\"endpoint_id\":\"" + endpoint.id()
                + "\",\"payload\":{\"key\":\"" + key + "\"},\"max_retries\":0,\"dependency_mode\":\"" + mode
                + "\",\"depends_on\":[" + quoted(dependsOn) + "]}";
    }

    private static String job(String key, String... dependsOn) {
        return "{\"key\":\"" + key + "\",\"queue_name\":\"wf\",\"payload\":{},\"depends_on\":[" + quoted(dependsOn)
                + "]}";
    }

    private static String quoted(String... values) {
        return String.join(",", java.util.Arrays.stream(values).map(v -> "\"" + v + "\"").toList());
    }

    private int answer(TestReceiver.Delivery delivery) {
        return failing.stream().anyMatch(key -> delivery.body().contains("\"key\":\"" + key + "\"")) ? 500 : 200;
    }

    private String delayed(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, Duration in) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"deps\","
                + "\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{},\"scheduled_at\":\"" + Instant.now().plus(in)
                + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private JsonNode awaitWorkflow(SluiceClient.Tenant tenant, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                client.get(tenant.apiKey(), "/api/v1/workflows/" + id).body().get("status").asString()));
        return client.get(tenant.apiKey(), "/api/v1/workflows/" + id).body();
    }

    private Map<String, String> statuses(SluiceClient.Tenant tenant, Created wf) {
        Map<String, String> statuses = new HashMap<>();
        client.get(tenant.apiKey(), "/api/v1/workflows/" + wf.id() + "/jobs/status").body()
                .forEach(j -> statuses.put(j.get("key").asString(), j.get("status").asString()));
        return statuses;
    }

    private boolean delivered(Created wf, String key) {
        return !receiver.deliveriesOf(wf.job(key)).isEmpty();
    }

    /** The last delivery of {@code later} came after the first successful one of {@code earlier} began. */
    private void assertDeliveredAfter(Created wf, String later, String earlier) {
        List<TestReceiver.Delivery> after = receiver.deliveriesOf(wf.job(later));
        List<TestReceiver.Delivery> before = receiver.deliveriesOf(wf.job(earlier));
        assertThat(after).as(later + " delivered").isNotEmpty();
        assertThat(before).as(earlier + " delivered").isNotEmpty();
        assertThat(after.getLast().receivedAt()).as(later + " after " + earlier)
                .isAfter(before.getLast().receivedAt());
    }

    private void assertRefused(SluiceClient.Tenant tenant, String body, String field, String message) {
        SluiceClient.Answer refused = client.post(tenant.apiKey(), "/api/v1/workflows", body);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().get("message").asString()).contains(message);
        assertThat(refused.body().get("details").get("field").asString()).isEqualTo(field);
    }
}
