package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The routes that read and adjust jobs: job and queue stats, status by ids, tag filters, priority, cancel. */
class JobQueriesIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void statsCountJobsPerStateOfOneQueueOrOfAll() {
        // given: three jobs waiting for workers in one queue, one delivered in another
        SluiceClient.Tenant tenant = client.newOrganization(unique("stats"));
        for (int i = 0; i < 3; i++) {
            enqueue(tenant, "reports", "{}");
        }
        String delivered = enqueue(tenant, "hooks", "{}", client.newEndpoint(tenant, receiver.url("/ok")).id());
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(status(tenant, delivered)));

        // when
        JsonNode reports = client.get(tenant.apiKey(), "/api/v1/jobs/stats?queue_name=reports").body();
        JsonNode all = client.get(tenant.apiKey(), "/api/v1/jobs/stats").body();

        // then
        assertThat(reports.get("pending").asLong()).isEqualTo(3);
        assertThat(reports.get("completed").asLong()).isZero();
        assertThat(reports.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("completed").asLong()).isEqualTo(1);
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.has("deadletter") && all.has("cancelled") && all.has("scheduled")).isTrue();
        JsonNode queue = client.get(tenant.apiKey(), "/api/v1/queues/reports/stats").body();
        assertThat(queue.get("queue_name").asString()).isEqualTo("reports");
        assertThat(queue.get("pending_jobs").asLong()).isEqualTo(3);
        assertThat(queue.get("completed_jobs_24h").asLong()).isZero();
        assertThat(queue.get("active_workers").asInt()).isZero();
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/hooks/stats").body().get("completed_jobs_24h").asLong())
                .isEqualTo(1);
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/nothing-here/stats").status()).isEqualTo(404);
    }

    @Test
    void statusByIdsAnswersInTheOrderAskedAndLeavesOutJobsOfNoneOrAnotherOrganization() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("status"));
        SluiceClient.Tenant other = client.newOrganization(unique("status-other"));
        String first = enqueue(tenant, "reports", "{}");
        String second = enqueue(tenant, "reports", "{}");
        String foreign = enqueue(other, "reports", "{}");

        // when
        JsonNode statuses = client.get(tenant.apiKey(), "/api/v1/jobs/status?ids=" + second + "," + UUID.randomUUID()
                + "," + foreign + "," + first).body();

        // then
        assertThat(ids(statuses)).containsExactly(second, first);
        assertThat(statuses.get(0).get("status").asString()).isEqualTo("pending");
        assertThat(statuses.get(0).get("queue_name").asString()).isEqualTo("reports");
        assertThat(statuses.get(0).has("retry_count") && statuses.get(0).has("created_at")).isTrue();
        String tooMany = IntStream.range(0, 101).mapToObj(i -> UUID.randomUUID().toString())
                .collect(Collectors.joining(","));
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/status?ids=" + tooMany).status()).isEqualTo(400);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/status?ids=nope").status()).isEqualTo(400);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/status").status()).isEqualTo(400);
    }

    @Test
    void aTagMatchesAKeyAnArrayElementOrAKeyWithItsValue() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("tags"));
        String prod = enqueue(tenant, "reports", "{\"env\":\"prod\",\"team\":\"billing\"}");
        String dev = enqueue(tenant, "reports", "{\"env\":\"dev\"}");
        String listed = enqueue(tenant, "reports", "[\"urgent\",\"env\"]");
        enqueue(tenant, "reports", null);

        // then
        assertThat(ids(list(tenant, "env"))).containsExactlyInAnyOrder(prod, dev, listed);
        assertThat(ids(list(tenant, "env:prod"))).containsExactly(prod);
        assertThat(ids(list(tenant, "urgent"))).containsExactly(listed);
        assertThat(ids(list(tenant, "team:ops"))).isEmpty();
    }

    @Test
    void aWaitingJobsPriorityChangesAndOneAlreadyDoneRefusesWithAConflict() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("priority"));
        String waiting = enqueue(tenant, "reports", "{}");
        String done = enqueue(tenant, "hooks", "{}", client.newEndpoint(tenant, receiver.url("/ok")).id());
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(status(tenant, done)));

        // when
        SluiceClient.Answer changed = client.put(tenant.apiKey(), "/api/v1/jobs/" + waiting + "/priority",
                "{\"priority\":42}");

        // then
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("job_id").asString()).isEqualTo(waiting);
        assertThat(changed.body().get("old_priority").asInt()).isZero();
        assertThat(changed.body().get("new_priority").asInt()).isEqualTo(42);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + waiting).body().get("priority").asInt()).isEqualTo(42);
        String later = enqueue(tenant, "reports", "{}");
        assertThat(ids(client.get(tenant.apiKey(), "/api/v1/jobs?order_by=priority").body()).getFirst())
                .isEqualTo(waiting);
        assertThat(ids(client.get(tenant.apiKey(), "/api/v1/jobs").body()).getFirst()).isEqualTo(later);
        assertThat(ids(client.get(tenant.apiKey(), "/api/v1/jobs?order_by=created_at&order_dir=asc").body())
                .getFirst()).isEqualTo(waiting);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs?order_dir=sideways").status()).isEqualTo(400);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs?order_by=payload").status()).isEqualTo(400);
        assertThat(client.put(tenant.apiKey(), "/api/v1/jobs/" + done + "/priority", "{\"priority\":1}").status())
                .isEqualTo(409);
        assertThat(client.put(tenant.apiKey(), "/api/v1/jobs/" + waiting + "/priority", "{\"priority\":101}")
                .status()).isEqualTo(400);
        assertThat(client.put(tenant.apiKey(), "/api/v1/jobs/" + UUID.randomUUID() + "/priority", "{\"priority\":1}")
                .status()).isEqualTo(404);
    }

    @Test
    void aWaitingJobIsCancelledAndOneAlreadyDeliveredIsNot() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("cancel"));
        String waiting = enqueue(tenant, "reports", "{}");
        String done = enqueue(tenant, "hooks", "{}", client.newEndpoint(tenant, receiver.url("/ok")).id());
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(status(tenant, done)));

        // when
        SluiceClient.Answer cancelled = client.delete(tenant.apiKey(), "/api/v1/jobs/" + waiting);

        // then
        assertThat(cancelled.status()).isEqualTo(204);
        assertThat(status(tenant, waiting)).isEqualTo("cancelled");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("cancelled").asLong()).isEqualTo(1);
        assertThat(client.delete(tenant.apiKey(), "/api/v1/jobs/" + waiting).status()).isEqualTo(409);
        SluiceClient.Answer tooLate = client.delete(tenant.apiKey(), "/api/v1/jobs/" + done);
        assertThat(tooLate.status()).isEqualTo(409);
        assertThat(tooLate.body().get("code").asString()).isEqualTo("CONFLICT");
        assertThat(client.delete(tenant.apiKey(), "/api/v1/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    private String enqueue(SluiceClient.Tenant tenant, String queue, String tags) {
        return enqueue(tenant, queue, tags, null);
    }

    private String enqueue(SluiceClient.Tenant tenant, String queue, String tags, String endpointId) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"payload\":{}" + (tags == null ? "" : ",\"tags\":" + tags)
                + (endpointId == null ? "" : ",\"endpoint_id\":\"" + endpointId + "\"") + "}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private String status(SluiceClient.Tenant tenant, String jobId) {
        return client.get(tenant.apiKey(), "/api/v1/jobs/" + jobId).body().get("status").asString();
    }

    private JsonNode list(SluiceClient.Tenant tenant, String tag) {
        return client.get(tenant.apiKey(), "/api/v1/jobs?tag=" + java.net.URLEncoder.encode(tag,
                java.nio.charset.StandardCharsets.UTF_8)).body();
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.get("id").asString()).toList();
    }
}
