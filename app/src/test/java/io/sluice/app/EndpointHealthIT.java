package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.SilentReceiver;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Endpoint health: 410 disables, an open circuit spends no attempts, a dead endpoint does not slow the others. */
class EndpointHealthIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void goneDisablesTheEndpointAndReenablingItLetsDeadLetteredJobsThrough() {
        // given: a receiver that says it is gone
        AtomicBoolean gone = new AtomicBoolean(true);
        receiver.answering(d -> gone.get() ? 410 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("gone"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/gone"));

        // when
        String first = enqueue(tenant, endpoint.id(), "gone", 5);

        // then: dead-lettered after one attempt, and the endpoint disabled with the reason
        JsonNode dead = awaitStatus(tenant, first, "deadletter");
        assertThat(dead.get("attempts")).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).body().get("enabled").asBoolean());
        JsonNode disabled = client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).body();
        assertThat(disabled.get("disabled_reason").asString()).contains("410");
        assertThat(disabled.get("disabled_at").isNull()).isFalse();

        // and a job for the disabled endpoint is dead-lettered without an attempt
        String second = enqueue(tenant, endpoint.id(), "gone", 5);
        JsonNode refused = awaitStatus(tenant, second, "deadletter");
        assertThat(refused.get("attempts")).isEmpty();
        assertThat(refused.get("last_error").asString()).startsWith("endpoint disabled");

        // when the receiver is back and the endpoint enabled again
        gone.set(false);
        SluiceClient.Answer enabled = client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(), "{\"enabled\":true}");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.body().get("enabled").asBoolean()).isTrue();
        assertThat(enabled.body().get("disabled_reason").isNull()).isTrue();
        SluiceClient.Answer retried = client.post(tenant.apiKey(), "/api/v1/jobs/dlq/retry", "{\"queue_name\":\"gone\"}");

        // then both jobs are delivered
        assertThat(retried.body().get("retried_count").asInt()).isEqualTo(2);
        awaitStatus(tenant, first, "completed");
        awaitStatus(tenant, second, "completed");
    }

    @Test
    void anOpenCircuitDefersDeliveriesWithoutSpendingTheirAttempts() {
        // given: a receiver down for the first 8 s; each job may make 6 attempts
        Instant recoversAt = Instant.now().plusSeconds(8);
        receiver.answering(d -> Instant.now().isBefore(recoversAt) ? 503 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("circuit"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/circuit"));

        // when
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(enqueue(tenant, endpoint.id(), "circuit", 5));
        }

        // then: while the receiver is down, the endpoint's stats say its circuit is open on this node
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100)).until(() -> client.get(
                tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id() + "/stats").body().get("circuit").get("state")
                .asString().equals("open"));

        // and every job completes once the receiver is back. On the schedule alone (1, 2, 3, 3, 3 s)
        // each would have made four failed attempts before 8 s (at 0, 1, 3 and 6 s): 150 attempts in
        // all with the final ones. With the circuit open, only the first wave (30, sent before any
        // answer came back), a few half-open probes and the final deliveries (30) are made.
        for (String id : ids) {
            awaitStatus(tenant, id, "completed");
        }
        int attempts = 0;
        for (String id : ids) {
            attempts += client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body().get("attempts").size();
        }
        assertThat(receiver.totalCount()).isEqualTo(attempts);
        assertThat(attempts).as("attempts while the circuit was open").isLessThan(30 + 30 + 30);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode circuit = client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id() + "/stats").body()
                    .get("circuit");
            assertThat(circuit.get("state").asString()).isEqualTo("closed");
            assertThat(circuit.get("open_on").size()).isZero();
        });
    }

    @Test
    void anEndpointThatNeverAnswersDoesNotSlowDeliveriesToAHealthyOne() throws Exception {
        try (SilentReceiver silent = SilentReceiver.start()) {
            // given: a silent endpoint (5 s timeout) and a healthy one of the same organization
            SluiceClient.Tenant tenant = client.newOrganization(unique("isolation"));
            SluiceClient.Receiver slow = client.newEndpoint(tenant, silent.url("/never"), "\"timeout_seconds\":5");
            SluiceClient.Receiver fast = client.newEndpoint(tenant, receiver.url("/fast"));

            // when: 200 jobs for the silent endpoint, then 1,000 for the healthy one
            bulk(tenant, slow.id(), "isolation", 200);
            Instant healthyEnqueued = Instant.now();
            Set<String> healthy = bulk(tenant, fast.id(), "isolation", 1000);

            // then: every healthy delivery arrives before the first attempt to the silent endpoint
            // could even have timed out, so none of them waited behind it
            await().atMost(Duration.ofSeconds(60)).until(() -> healthy.stream().allMatch(receiver::received));
            Instant lastHealthy = receiver.deliveries().stream().map(TestReceiver.Delivery::receivedAt)
                    .max(Instant::compareTo).orElseThrow();
            assertThat(Duration.between(healthyEnqueued, lastHealthy)).isLessThan(Duration.ofSeconds(5));
            assertThat(silent.connections()).as("the silent endpoint was tried").isPositive();
        }
    }

    private Set<String> bulk(SluiceClient.Tenant tenant, String endpointId, String queue, int jobs) {
        Set<String> ids = new HashSet<>();
        String items = String.join(",", Collections.nCopies(100, "{\"payload\":{\"bulk\":true}}"));
        for (int batch = 0; batch < jobs / 100; batch++) {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs/bulk", "{\"queue_name\":\"" + queue
                    + "\",\"endpoint_id\":\"" + endpointId + "\",\"jobs\":[" + items + "]}");
            assertThat(answer.status()).isEqualTo(200);
            answer.body().get("succeeded").forEach(ok -> ids.add(ok.get("job_id").asString()));
        }
        return ids;
    }

    private String enqueue(SluiceClient.Tenant tenant, String endpointId, String queue, int maxRetries) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"endpoint_id\":\"" + endpointId + "\",\"payload\":{},\"max_retries\":" + maxRetries + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }
}
