package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.TestReceiver;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dead-letter queue through the REST API: inspect, retry, purge, replay from the topic. */
class DeadLetterIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();
    private final AtomicBoolean down = new AtomicBoolean(true);

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aDeadLetteredJobIsListedRetriedOnceTheReceiverRecoversAndCompleted() {
        // given: a job that failed three times (max_retries 2)
        receiver.answering(d -> down.get() ? 500 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("dlq"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/dlq"));
        String id = enqueue(tenant, endpoint, "dlq-orders", 2);
        awaitStatus(tenant, id, "deadletter");

        // then it is in the dead-letter queue of its queue, and not of another
        JsonNode listed = client.get(tenant.apiKey(), "/api/v1/jobs/dlq?queue_name=dlq-orders").body();
        assertThat(listed).extracting(j -> j.get("id").asString()).containsExactly(id);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/dlq?queue_name=other").body()).isEmpty();

        // when the receiver recovers and the job is retried from the DLQ
        down.set(false);
        SluiceClient.Answer retried = client.post(tenant.apiKey(), "/api/v1/jobs/dlq/retry",
                "{\"job_ids\":[\"" + id + "\"]}");

        // then
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("retried_count").asInt()).isEqualTo(1);
        JsonNode job = awaitStatus(tenant, id, "completed");
        assertThat(job.get("attempts")).hasSize(4);
        assertThat(job.get("retry_count").asInt()).as("a manual retry starts the count again").isZero();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/dlq?queue_name=dlq-orders").body()).isEmpty();
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + id + "/retry", "").status())
                .as("a completed job is not retried").isEqualTo(409);
    }

    @Test
    void purgeNeedsConfirmationAndThenRemovesTheDeadJobs() {
        // given
        receiver.answering(d -> 500);
        SluiceClient.Tenant tenant = client.newOrganization(unique("purge"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/purge"));
        String id = enqueue(tenant, endpoint, "purge", 0);
        awaitStatus(tenant, id, "deadletter");

        // when / then
        SluiceClient.Answer unconfirmed = client.post(tenant.apiKey(), "/api/v1/jobs/dlq/purge", "{\"queue_name\":\"purge\"}");
        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(unconfirmed.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).status()).isEqualTo(200);

        SluiceClient.Answer purged = client.post(tenant.apiKey(), "/api/v1/jobs/dlq/purge",
                "{\"queue_name\":\"purge\",\"confirm\":true}");
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.body().get("purged_count").asInt()).isEqualTo(1);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).status()).isEqualTo(404);
    }

    @Test
    void topicReplayOfATimeRangeRedeliversExactlyTheJobsDeadInItAndIsSafeToRunTwice() {
        // given: three jobs dead-lettered one after the other
        receiver.answering(d -> down.get() ? 500 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("replay"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/replay"));
        String first = enqueue(tenant, endpoint, "replay", 0);
        awaitStatus(tenant, first, "deadletter");
        Instant from = Instant.now();
        String second = enqueue(tenant, endpoint, "replay", 0);
        awaitStatus(tenant, second, "deadletter");
        Instant to = Instant.now();
        String third = enqueue(tenant, endpoint, "replay", 0);
        awaitStatus(tenant, third, "deadletter");

        // when: the receiver recovers and the middle range is replayed
        down.set(false);
        String range = "{\"queue_name\":\"replay\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}";
        SluiceClient.Answer replay = client.post(tenant.apiKey(), "/api/v1/jobs/dlq/replay", range);

        // then: only the second job is delivered again
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("replayed").asInt()).isEqualTo(1);
        awaitStatus(tenant, second, "completed");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + first).body().get("status").asString()).isEqualTo("deadletter");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + third).body().get("status").asString()).isEqualTo("deadletter");

        // and running it again sends nothing: the job is no longer dead
        SluiceClient.Answer again = client.post(tenant.apiKey(), "/api/v1/jobs/dlq/replay", range);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("replayed").asInt()).isZero();
        assertThat(receiver.deliveriesOf(second)).hasSize(2);
    }

    private String enqueue(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String queue, int maxRetries) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{\"q\":\"" + queue + "\"},\"max_retries\":"
                + maxRetries + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }
}
