package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Jobs accepted with a future {@code scheduled_at} wait as {@code scheduled}, then run like any other. */
class ScheduledJobsIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aScheduledJobWaitsUntilItsTimeAndACancelledOneNeverRuns() {
        // given: two jobs due in two seconds
        SluiceClient.Tenant tenant = client.newOrganization(unique("scheduled"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/later"));
        Instant due = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        String kept = schedule(tenant, endpoint, due, "kept");
        String cancelled = schedule(tenant, endpoint, due, "cancelled");

        // when: one is cancelled while it waits
        JsonNode waiting = client.get(tenant.apiKey(), "/api/v1/jobs/" + kept).body();
        SluiceClient.Answer cancel = client.delete(tenant.apiKey(), "/api/v1/jobs/" + cancelled);

        // then: the other is delivered, not before its time; the cancelled one never
        assertThat(waiting.get("status").asString()).isEqualTo("scheduled");
        assertThat(Instant.parse(waiting.get("scheduled_at").asString())).isEqualTo(due);
        assertThat(cancel.status()).isEqualTo(204);
        awaitStatus(tenant, kept, "completed");
        assertThat(receiver.deliveriesOf(kept)).hasSize(1);
        assertThat(receiver.deliveriesOf(kept).getFirst().receivedAt()).isAfterOrEqualTo(due);
        assertThat(receiver.deliveriesOf(cancelled)).isEmpty();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + cancelled).body().get("status").asString())
                .isEqualTo("cancelled");
    }

    @Test
    void aTimeAlreadyPastRunsAtOnceAndImpossibleTimesAreRefused() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("scheduled-limits"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/now"));

        String past = schedule(tenant, endpoint, Instant.now().minusSeconds(60), "past");

        awaitStatus(tenant, past, "completed");
        assertRefused(tenant, "{\"queue_name\":\"q\",\"payload\":{},\"scheduled_at\":\""
                + Instant.now().plus(Duration.ofDays(400)) + "\"}", "scheduled_at must be within 365 days");
        assertRefused(tenant, "{\"queue_name\":\"q\",\"payload\":{},\"scheduled_at\":\""
                + Instant.now().plusSeconds(600) + "\",\"expires_at\":\"" + Instant.now().plusSeconds(300) + "\"}",
                "expires_at must be after scheduled_at");
    }

    private String schedule(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, Instant at, String n) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"later\",\"endpoint_id\":\""
                + endpoint.id() + "\",\"payload\":{\"n\":\"" + n + "\"},\"scheduled_at\":\"" + at + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private void assertRefused(SluiceClient.Tenant tenant, String body, String reason) {
        SluiceClient.Answer refused = client.post(tenant.apiKey(), "/api/v1/jobs", body);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.body().get("message").asString()).contains(reason);
    }
}
