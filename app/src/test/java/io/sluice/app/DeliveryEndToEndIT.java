package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DeliveryEndToEndIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void deliversAThousandJobsSignedOnceEachAndRecordsOneAttemptPerJob() throws Exception {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("e2e"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/hooks"));
        Map<String, String> payloadByJob = new HashMap<>();

        // when: 1,000 jobs, as 10 bulk requests of 100
        for (int batch = 0; batch < 10; batch++) {
            StringBuilder jobs = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                int seq = batch * 100 + i;
                jobs.append(i == 0 ? "" : ",").append("{\"payload\":{\"seq\":").append(seq)
                        .append(",\"text\":\"caf\\u00e9 \\\"quoted\\\"\"}}");
            }
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs/bulk",
                    "{\"queue_name\":\"e2e\",\"endpoint_id\":\"" + endpoint.id() + "\",\"jobs\":[" + jobs + "]}");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("failure_count").asInt()).isZero();
            for (JsonNode ok : answer.body().get("succeeded")) {
                payloadByJob.put(ok.get("job_id").asString(), "seq " + (batch * 100 + ok.get("index").asInt()));
            }
        }
        assertThat(payloadByJob).hasSize(1000);

        // then: every job arrives, and every signature verifies with the official library
        await().atMost(Duration.ofMinutes(2)).until(() -> receiver.distinctCount() >= 1000);
        Webhook verifier = new Webhook(endpoint.secret());
        Set<String> delivered = new HashSet<>();
        for (TestReceiver.Delivery delivery : receiver.deliveries()) {
            verifier.verify(delivery.body(), delivery.headers());
            assertThat(delivery.header("content-type")).startsWith("application/json");
            JsonNode body = SluiceClient.JSON.readTree(delivery.body());
            assertThat("seq " + body.get("seq").asInt()).isEqualTo(payloadByJob.get(delivery.webhookId()));
            assertThat(body.get("text").asString()).isEqualTo("café \"quoted\"");
            delivered.add(delivery.webhookId());
        }
        assertThat(delivered).isEqualTo(payloadByJob.keySet());

        // and every job ends completed with exactly one attempt, in PostgreSQL
        List<String> unfinished = new ArrayList<>(payloadByJob.keySet());
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
            unfinished.removeIf(id -> "completed".equals(
                    client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body().get("status").asString()));
            return unfinished.isEmpty();
        });
        for (String id : payloadByJob.keySet()) {
            JsonNode job = client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body();
            assertThat(job.get("attempts")).hasSize(1);
            JsonNode attempt = job.get("attempts").get(0);
            assertThat(attempt.get("status_code").asInt()).isEqualTo(200);
            assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
            assertThat(attempt.get("response").asString()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void aPayloadIsDeliveredAndSignedAsTheBytesTheClientSent() throws Exception {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("verbatim"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/verbatim"));
        String payload = "{ \"order\" : 7,\n  \"city\": \"Zürich\", \"escaped\": \"caf\\u00e9\",\"tags\": [ \"a\" ] }";

        // when
        String id = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"verbatim\", \"endpoint_id\":\"" + endpoint.id() + "\", \"payload\": " + payload + "}")
                .body().get("id").asString();

        // then: whitespace, escapes and all, under a signature that verifies
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.distinctCount() >= 1);
        TestReceiver.Delivery delivery = receiver.deliveries().getFirst();
        assertThat(delivery.webhookId()).isEqualTo(id);
        assertThat(delivery.body()).isEqualTo(payload);
        new Webhook(endpoint.secret()).verify(delivery.body(), delivery.headers());
    }

    @Test
    void recordsAFailedAttemptWithItsStatusAndExcerpt() {
        // given: a receiver that refuses everything
        receiver.answering(delivery -> 500);
        SluiceClient.Tenant tenant = client.newOrganization(unique("refused"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/refuses"));

        // when: no retries allowed
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"refused\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{\"a\":1},\"max_retries\":0}");
        String id = created.body().get("id").asString();

        // then
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "deadletter".equals(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body().get("status").asString()));
        JsonNode job = client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body();
        assertThat(job.get("last_error").asString()).contains("500");
        assertThat(job.get("attempts")).hasSize(1);
        JsonNode attempt = job.get("attempts").get(0);
        assertThat(attempt.get("status_code").asInt()).isEqualTo(500);
        assertThat(attempt.get("error_class").asString()).isEqualTo("http_status");
        assertThat(attempt.get("response").asString()).isEqualTo("{\"ok\":true}");
        assertThat(attempt.get("duration_ms").asLong()).isNotNegative();
    }

    @Test
    void recordsAConnectionFailureAsAnAttemptWithoutStatus() {
        // given: an endpoint where nothing listens
        SluiceClient.Tenant tenant = client.newOrganization(unique("nobody"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, "http://127.0.0.1:1/nothing-here");

        // when
        String id = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"nobody\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{},\"max_retries\":0}")
                .body().get("id").asString();

        // then
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "deadletter".equals(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body().get("status").asString()));
        JsonNode attempt = client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body().get("attempts").get(0);
        assertThat(attempt.get("status_code").isNull()).isTrue();
        assertThat(attempt.get("error_class").asString()).isEqualTo("connect");
    }
}
