package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.TestReceiver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * No organization reads or changes another's: every route that takes an id or a name is called
 * by organization B with organization A's, and must answer as if it did not exist; afterwards
 * A's things are as they were.
 */
class TenantIsolationIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private record Call(String method, String path, String body) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void everyRouteWithAnotherOrganizationsIdsAnswersNotFound() {
        // given: organization A with one of everything
        SluiceClient.Tenant a = client.newOrganization(unique("tenant-a"));
        SluiceClient.Tenant b = client.newOrganization(unique("tenant-b"));
        String endpoint = client.newEndpoint(a, receiver.url("/a")).id();
        String job = client.post(a.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"a-queue\",\"payload\":{\"n\":1}}")
                .body().get("id").asString();
        String key = client.post(a.apiKey(), "/api/v1/api-keys", "{\"name\":\"a-key\"}").body().get("id").asString();
        String webhook = client.post(a.apiKey(), "/api/v1/outgoing-webhooks",
                "{\"name\":\"a-hook\",\"url\":\"" + receiver.url("/events") + "\",\"events\":[\"job.completed\"]}")
                .body().get("id").asString();
        assertThat(client.post(a.apiKey(), "/api/v1/event-types", "{\"name\":\"a.happened\"}").status()).isEqualTo(201);
        String message = client.post(a.apiKey(), "/api/v1/messages", "{\"event_type\":\"a.happened\",\"payload\":{}}")
                .body().get("message_id").asString();
        String schedule = client.post(a.apiKey(), "/api/v1/schedules", "{\"name\":\"a-nightly\","
                + "\"cron_expression\":\"0 3 * * *\",\"queue_name\":\"a-queue\",\"payload_template\":{}}")
                .body().get("id").asString();
        JsonNode workflow = client.post(a.apiKey(), "/api/v1/workflows", "{\"name\":\"a-flow\",\"jobs\":["
                + "{\"key\":\"x\",\"queue_name\":\"a-queue\",\"payload\":{}}]}").body();
        String flow = workflow.get("workflow_id").asString();
        String flowJob = workflow.get("job_ids").get(0).get("job_id").asString();
        String org = a.organizationId();

        List<Call> calls = List.of(
                new Call("GET", "/api/v1/jobs/" + job, null),
                new Call("DELETE", "/api/v1/jobs/" + job, null),
                new Call("PUT", "/api/v1/jobs/" + job + "/priority", "{\"priority\":9}"),
                new Call("POST", "/api/v1/jobs/" + job + "/retry", ""),
                new Call("GET", "/api/v1/jobs/" + job + "/dependencies", null),
                new Call("POST", "/api/v1/jobs/" + job + "/dependencies", "{\"depends_on_job_ids\":[\"" + flowJob + "\"]}"),
                new Call("GET", "/api/v1/workflows/" + flow, null),
                new Call("GET", "/api/v1/workflows/" + flow + "/jobs", null),
                new Call("GET", "/api/v1/workflows/" + flow + "/jobs/status", null),
                new Call("GET", "/api/v1/workflows/" + flow + "/jobs/" + flowJob, null),
                new Call("POST", "/api/v1/workflows/" + flow + "/retry", ""),
                new Call("POST", "/api/v1/workflows/" + flow + "/cancel", ""),
                new Call("GET", "/api/v1/endpoints/" + endpoint, null),
                new Call("PUT", "/api/v1/endpoints/" + endpoint, "{\"url\":\"" + receiver.url("/b") + "\"}"),
                new Call("GET", "/api/v1/endpoints/" + endpoint + "/jobs", null),
                new Call("GET", "/api/v1/endpoints/" + endpoint + "/secret", null),
                new Call("POST", "/api/v1/endpoints/" + endpoint + "/secret/rotate", ""),
                new Call("POST", "/api/v1/endpoints/" + endpoint + "/recover", "{\"since\":\"2020-01-01T00:00:00Z\"}"),
                new Call("DELETE", "/api/v1/endpoints/" + endpoint, null),
                new Call("GET", "/api/v1/outgoing-webhooks/" + webhook, null),
                new Call("PUT", "/api/v1/outgoing-webhooks/" + webhook, "{\"enabled\":false}"),
                new Call("GET", "/api/v1/outgoing-webhooks/" + webhook + "/deliveries", null),
                new Call("POST", "/api/v1/outgoing-webhooks/" + webhook + "/test", ""),
                new Call("POST", "/api/v1/outgoing-webhooks/" + webhook + "/retry/" + job, ""),
                new Call("DELETE", "/api/v1/outgoing-webhooks/" + webhook, null),
                new Call("GET", "/api/v1/api-keys/" + key, null),
                new Call("PUT", "/api/v1/api-keys/" + key, "{\"is_active\":false}"),
                new Call("DELETE", "/api/v1/api-keys/" + key, null),
                new Call("GET", "/api/v1/messages/" + message, null),
                new Call("GET", "/api/v1/event-types/a.happened", null),
                new Call("GET", "/api/v1/schedules/" + schedule, null),
                new Call("PUT", "/api/v1/schedules/" + schedule, "{\"name\":\"taken over\"}"),
                new Call("POST", "/api/v1/schedules/" + schedule + "/pause", ""),
                new Call("POST", "/api/v1/schedules/" + schedule + "/resume", ""),
                new Call("POST", "/api/v1/schedules/" + schedule + "/trigger", ""),
                new Call("GET", "/api/v1/schedules/" + schedule + "/history", null),
                new Call("DELETE", "/api/v1/schedules/" + schedule, null),
                new Call("GET", "/api/v1/queues/a-queue", null),
                new Call("GET", "/api/v1/queues/a-queue/stats", null),
                new Call("GET", "/api/v1/organizations/" + org, null),
                new Call("PUT", "/api/v1/organizations/" + org, "{\"name\":\"taken over\"}"),
                new Call("DELETE", "/api/v1/organizations/" + org, null));

        // when: B calls each of them with A's ids
        List<String> leaks = new ArrayList<>();
        for (Call call : calls) {
            SluiceClient.Answer answer = client.send(call.method(), call.path(), call.body(),
                    java.util.Map.of("Authorization", "Bearer " + b.apiKey()));
            if (answer.status() != 404 || !"NOT_FOUND".equals(answer.body().path("code").asString())) {
                leaks.add(call + " -> " + answer.status() + " " + answer.raw());
            }
        }

        // then: none of them found anything, though A's own reads of the same find it all
        assertThat(leaks).isEmpty();
        for (Call call : calls.stream().filter(c -> c.method().equals("GET")).toList()) {
            assertThat(client.get(a.apiKey(), call.path()).status()).as("A: " + call).isEqualTo(200);
        }
        // lists, counts and bulk actions of B hold nothing of A
        assertThat(client.get(b.apiKey(), "/api/v1/jobs").body()).isEmpty();
        assertThat(client.get(b.apiKey(), "/api/v1/jobs/status?ids=" + job).body()).isEmpty();
        assertThat(client.get(b.apiKey(), "/api/v1/jobs/stats").body().get("total").asLong()).isZero();
        assertThat(client.get(b.apiKey(), "/api/v1/endpoints").body().path("data").size()
                + client.get(b.apiKey(), "/api/v1/endpoints").body().size()).isZero();
        assertThat(client.get(b.apiKey(), "/api/v1/outgoing-webhooks").body()).isEmpty();
        assertThat(client.get(b.apiKey(), "/api/v1/queues").body()).isEmpty();
        assertThat(client.get(b.apiKey(), "/api/v1/schedules").body()).isEmpty();
        assertThat(client.get(b.apiKey(), "/api/v1/workflows").body()).isEmpty();
        String bJob = client.post(b.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"b-queue\",\"payload\":{}}")
                .body().get("id").asString();
        assertThat(client.post(b.apiKey(), "/api/v1/jobs/" + bJob + "/dependencies",
                "{\"depends_on_job_ids\":[\"" + job + "\"]}").status()).isEqualTo(400);
        assertThat(client.get(b.apiKey(), "/api/v1/api-keys").body()).hasSize(1);
        assertThat(client.post(b.apiKey(), "/api/v1/jobs/dlq/retry", "{\"job_ids\":[\"" + job + "\"]}").body()
                .get("retried_count").asInt()).isZero();
        assertThat(client.post(b.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"q\",\"payload\":{},\"endpoint_id\":\""
                + endpoint + "\"}").status()).isEqualTo(400);
        // and A's things are as they were
        JsonNode aJob = client.get(a.apiKey(), "/api/v1/jobs/" + job).body();
        assertThat(aJob.get("priority").asInt()).isZero();
        assertThat(client.get(a.apiKey(), "/api/v1/endpoints/" + endpoint).status()).isEqualTo(200);
        assertThat(client.get(a.apiKey(), "/api/v1/outgoing-webhooks/" + webhook).body().get("enabled").asBoolean())
                .isTrue();
        assertThat(client.get(a.apiKey(), "/api/v1/api-keys/" + key).body().get("is_active").asBoolean()).isTrue();
        JsonNode aSchedule = client.get(a.apiKey(), "/api/v1/schedules/" + schedule).body();
        assertThat(aSchedule.get("name").asString()).isEqualTo("a-nightly");
        assertThat(aSchedule.get("run_count").asLong()).isZero();
        assertThat(client.get(a.apiKey(), "/api/v1/workflows/" + flow).body().get("status").asString())
                .isNotEqualTo("cancelled");
        assertThat(client.get(a.apiKey(), "/api/v1/organizations/" + org).body().get("name").asString())
                .isNotEqualTo("taken over");
    }
}
