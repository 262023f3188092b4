package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.sluice.testkit.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A job created with a {@code completion_webhook}: when it ends (completed, dead-lettered,
 * cancelled) its outcome is POSTed to that URL through the durable delivery pipeline, signed with
 * the job's {@code completion_webhook_secret}.
 */
class CompletionWebhooksIT extends SluiceIntegrationTest {

    private static final String SECRET = "a-completion-secret-of-32-bytes!";

    private final TestReceiver receiver = TestReceiver.start()
            .answering(d -> d.path().startsWith("/broken") ? 500 : 200);

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aWorkersResultIsCalledBackSignedWithTheJobsSecret() throws Exception {
        // given: a job for external workers that asks for a callback
        SluiceClient.Tenant tenant = client.newOrganization(unique("completion"));
        String callback = receiver.url("/done");
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"renders\",\"payload\":{\"scene\":1},\"completion_webhook\":\"" + callback
                        + "\",\"completion_webhook_secret\":\"" + SECRET + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String job = created.body().get("id").asString();

        // when a worker completes it with a result
        String worker = client.post(tenant.apiKey(), "/api/v1/workers/register",
                "{\"queue_name\":\"renders\",\"hostname\":\"h\"}").body().get("id").asString();
        JsonNode claimed = claimOne(tenant, "renders", worker);
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/complete", "{\"worker_id\":\"" + worker
                + "\",\"lease_id\":\"" + claimed.get("lease_id").asString() + "\",\"result\":{\"frames\":24}}")
                .status()).isEqualTo(200);

        // then the callback arrives once, says how the job ended and carries its result
        TestReceiver.Delivery delivery = awaitDeliveries("/done", 1).getFirst();
        JsonNode body = SluiceClient.JSON.readTree(delivery.body());
        assertThat(body.get("event").asString()).isEqualTo("job.completed");
        assertThat(body.get("data").get("job_id").asString()).isEqualTo(job);
        assertThat(body.get("data").get("state").asString()).isEqualTo("completed");
        assertThat(body.get("data").get("result").get("frames").asInt()).isEqualTo(24);

        // and it is signed with the job's secret (its UTF-8 bytes as the key), as the official verifier checks
        String standardSecret = "whsec_" + Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        new Webhook(standardSecret).verify(delivery.body(), delivery.headers());

        // and the job shows where its callback goes, never the secret
        JsonNode shown = client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body();
        assertThat(shown.get("completion_webhook").asString()).isEqualTo(callback);
        assertThat(shown.toString()).doesNotContain(SECRET);
    }

    @Test
    void aDeadLetteredAndACancelledJobAreCalledBackToo() {
        // given: a job to a receiver that always fails, without retries, and a job for workers
        SluiceClient.Tenant tenant = client.newOrganization(unique("completion-failures"));
        SluiceClient.Receiver broken = client.newEndpoint(tenant, receiver.url("/broken"));
        String callback = receiver.url("/outcomes");
        String failing = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"sync\",\"payload\":{},"
                + "\"endpoint_id\":\"" + broken.id() + "\",\"max_retries\":0,\"completion_webhook\":\"" + callback
                + "\"}").body().get("id").asString();
        String waiting = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"later\",\"payload\":{},"
                + "\"completion_webhook\":\"" + callback + "\"}").body().get("id").asString();

        // when the second is cancelled (the first dead-letters on its own)
        assertThat(client.delete(tenant.apiKey(), "/api/v1/jobs/" + waiting).status()).isEqualTo(204);

        // then each outcome is called back to the same URL
        List<String> outcomes = awaitDeliveries("/outcomes", 2).stream()
                .map(d -> SluiceClient.JSON.readTree(d.body()))
                .map(e -> e.get("event").asString() + " " + e.get("data").get("job_id").asString())
                .toList();
        assertThat(outcomes).containsExactlyInAnyOrder("job.deadlettered " + failing, "job.cancelled " + waiting);

        // and the two jobs share one completion endpoint, which is not among the organization's endpoints
        assertThat(jdbc.queryForObject("SELECT count(*) FROM endpoints WHERE organization_id = ? AND kind = 'completion'",
                Integer.class, UUID.fromString(tenant.organizationId()))).isEqualTo(1);
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints").body().toString()).doesNotContain("/outcomes");
    }

    @Test
    void anUnusableCallbackIsRefusedWithTheFieldNamed() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("completion-refused"));

        assertRefused(tenant, "\"completion_webhook\":\"ftp://example.com/done\"", "completion_webhook");
        assertRefused(tenant, "\"completion_webhook\":\"" + receiver.url("/done")
                + "\",\"completion_webhook_secret\":\"short\"", "completion_webhook_secret");
        assertRefused(tenant, "\"completion_webhook\":\"" + receiver.url("/done")
                + "\",\"completion_webhook_secret\":\"whsec_not-base64!\"", "completion_webhook_secret");
        assertRefused(tenant, "\"completion_webhook_secret\":\"" + SECRET + "\"", "completion_webhook_secret");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs?queue_name=refused").body()).isEmpty();
    }

    private void assertRefused(SluiceClient.Tenant tenant, String fields, String field) {
        SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"refused\",\"payload\":{}," + fields + "}");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
        assertThat(answer.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(answer.body().get("details").get("field").asString()).isEqualTo(field);
    }

    private JsonNode claimOne(SluiceClient.Tenant tenant, String queue, String worker) {
        List<JsonNode> claimed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            client.post(tenant.apiKey(), "/api/v1/jobs/claim", "{\"queue_name\":\"" + queue + "\",\"worker_id\":\""
                    + worker + "\",\"limit\":1}").body().get("jobs").forEach(claimed::add);
            return !claimed.isEmpty();
        });
        return claimed.getFirst();
    }

    private List<TestReceiver.Delivery> awaitDeliveries(String path, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveriesTo(path).size() >= count);
        // a moment more: a second callback for the same outcome would show here
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> deliveriesTo(path).size() == count);
        return deliveriesTo(path);
    }

    private List<TestReceiver.Delivery> deliveriesTo(String path) {
        return receiver.deliveries().stream().filter(d -> d.path().startsWith(path)).toList();
    }
}
