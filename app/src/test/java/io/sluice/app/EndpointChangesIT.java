package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A change to an endpoint reaches deliveries already on their way (through the compacted
 * {@code sluice.endpoints} topic), not only jobs accepted afterwards. Each job here waits 3 s
 * in a retry tier after its first attempt, and the endpoint changes during that wait.
 */
class EndpointChangesIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aDeliveryWaitingForItsRetryIsDeadLetteredWithoutAnAttemptWhenItsEndpointIsDisabled() {
        // given: a job whose first attempt failed
        AtomicBoolean down = new AtomicBoolean(true);
        receiver.answering(d -> down.get() ? 503 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("disabled-midway"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/hooks"), "\"retry_schedule\":[\"3s\"]");
        String id = enqueue(tenant, endpoint.id());
        awaitFirstAttempt(tenant, id);

        // when its owner disables the endpoint
        SluiceClient.Answer disabled = client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(),
                "{\"enabled\":false}");
        assertThat(disabled.status()).isEqualTo(200);

        // then the waiting delivery is given up without a second attempt
        JsonNode dead = awaitStatus(tenant, id, "deadletter");
        assertThat(dead.get("attempts")).hasSize(1);
        assertThat(dead.get("last_error").asString()).isEqualTo("endpoint disabled: disabled by its owner");
        assertThat(receiver.deliveriesOf(id)).hasSize(1);
        JsonNode listed = client.get(tenant.apiKey(), "/api/v1/jobs/dlq").body();
        assertThat(listed).extracting(j -> j.get("id").asString()).containsExactly(id);

        // and once the endpoint is enabled and the receiver is back, a DLQ retry delivers it
        down.set(false);
        client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(), "{\"enabled\":true}");
        client.post(tenant.apiKey(), "/api/v1/jobs/dlq/retry", "{\"job_ids\":[\"" + id + "\"]}");
        awaitStatus(tenant, id, "completed");
        assertThat(receiver.deliveriesOf(id)).hasSize(2);
    }

    @Test
    void aDeletedEndpointsWaitingDeliveryIsDeadLetteredAndTheEndpointLeavesTheApi() {
        // given: a job whose first attempt failed
        receiver.answering(d -> 503);
        SluiceClient.Tenant tenant = client.newOrganization(unique("deleted-midway"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/gone"),
                "\"retry_schedule\":[\"3s\"],\"event_types\":[\"order.placed\"]");
        String id = enqueue(tenant, endpoint.id());
        awaitFirstAttempt(tenant, id);

        // when its owner deletes the endpoint
        assertThat(client.delete(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).status()).isEqualTo(204);

        // then the waiting delivery is given up without a second attempt, and its history stays
        JsonNode dead = awaitStatus(tenant, id, "deadletter");
        assertThat(dead.get("attempts")).hasSize(1);
        assertThat(dead.get("last_error").asString()).isEqualTo("endpoint disabled: endpoint deleted");
        assertThat(receiver.deliveriesOf(id)).hasSize(1);

        // and the endpoint is gone from the API, from fan-out and from new jobs
        String path = "/api/v1/endpoints/" + endpoint.id();
        assertThat(client.get(tenant.apiKey(), path).status()).isEqualTo(404);
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints").body()).isEmpty();
        assertThat(client.delete(tenant.apiKey(), path).status()).isEqualTo(404);
        assertThat(client.patch(tenant.apiKey(), path, "{\"enabled\":true}").status()).isEqualTo(404);
        SluiceClient.Answer published = client.post(tenant.apiKey(), "/api/v1/messages",
                "{\"event_type\":\"order.placed\",\"payload\":{\"n\":2}}");
        assertThat(published.body().get("job_ids")).isEmpty();
        SluiceClient.Answer refused = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"changes\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).status()).isEqualTo(200);
    }

    @Test
    void aDeliveryWaitingForItsRetryGoesToTheEndpointsNewUrl() {
        // given: a job whose first attempt failed at the endpoint's old address
        receiver.answering(d -> d.path().equals("/old") ? 503 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("moved-midway"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/old"), "\"retry_schedule\":[\"3s\"]");
        String id = enqueue(tenant, endpoint.id());
        awaitFirstAttempt(tenant, id);

        // when its owner moves the endpoint
        SluiceClient.Answer moved = client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(),
                "{\"url\":\"" + receiver.url("/new") + "\"}");
        assertThat(moved.status()).isEqualTo(200);

        // then the retry goes to the new address
        JsonNode job = awaitStatus(tenant, id, "completed");
        assertThat(job.get("attempts")).hasSize(2);
        assertThat(receiver.deliveriesOf(id)).extracting(TestReceiver.Delivery::path).containsExactly("/old", "/new");
    }

    private String enqueue(SluiceClient.Tenant tenant, String endpointId) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"changes\",\"endpoint_id\":\"" + endpointId + "\",\"payload\":{\"n\":1}}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private void awaitFirstAttempt(SluiceClient.Tenant tenant, String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode job = client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body();
            return job.get("attempts").size() == 1 && "pending".equals(job.get("status").asString());
        });
    }
}
