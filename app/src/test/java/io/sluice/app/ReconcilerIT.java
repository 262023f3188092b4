package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A job whose record was lost between two stages is delivered all the same: the reconciler
 * sees it pending past its time and sends it on again. The loss is made in PostgreSQL, where
 * the test can place it exactly: a job whose outbox row vanished, and one whose retry never
 * came. A context of its own, with a patience of 2 s, closed afterwards.
 */
@TestPropertySource(properties = {"sluice.reconciler.enabled=true", "sluice.reconciler.stuck-after=2s",
        "sluice.reconciler.interval=300ms", "sluice.topology.enabled=false"})
@DirtiesContext
class ReconcilerIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start().answering(d -> 200);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aJobWhoseOutboxRowWasLostIsDeliveredOnceItIsLate() {
        // given: a job released to be sent, but its outbox row lost before the relay had it
        SluiceClient.Tenant tenant = client.newOrganization(unique("reconcile-outbox"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/lost"));
        String id = waitingJob(tenant, endpoint);
        double repairsBefore = repairs();
        jdbc.update("DELETE FROM scheduled_jobs WHERE job_id = ?", UUID.fromString(id));
        jdbc.update("UPDATE jobs SET state = 'pending', scheduled_at = NULL, updated_at = now() WHERE id = ?",
                UUID.fromString(id));

        // then: delivered once, attempt 1, about two seconds late
        JsonNode job = awaitStatus(tenant, id, "completed");
        assertThat(receiver.deliveriesOf(id)).hasSize(1);
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(repairs()).isGreaterThan(repairsBefore);
    }

    @Test
    void aRetryThatNeverCameIsMadeAtTheAttemptThatWasDue() {
        // given: a job whose first attempt failed and whose retry, due a moment ago, was lost
        SluiceClient.Tenant tenant = client.newOrganization(unique("reconcile-retry"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/retry"));
        String id = waitingJob(tenant, endpoint);
        jdbc.update("DELETE FROM scheduled_jobs WHERE job_id = ?", UUID.fromString(id));
        jdbc.update("""
                UPDATE jobs SET state = 'pending', scheduled_at = NULL, attempts = 1, retry_count = 0,
                    next_attempt_at = now(), last_error = 'HTTP 500', updated_at = now()
                WHERE id = ?""", UUID.fromString(id));

        // then: the second attempt is made, and completes the job
        JsonNode job = awaitStatus(tenant, id, "completed");
        assertThat(receiver.deliveriesOf(id)).hasSize(1);
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        assertThat(job.get("retry_count").asInt()).isEqualTo(1);
    }

    /** A job that waits, scheduled an hour ahead, out of Kafka: the test then makes it look sent. */
    private String waitingJob(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"reconcile\","
                + "\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{},\"scheduled_at\":\""
                + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private double repairs() {
        return meters.counter("sluice.reconciler.repairs").count();
    }
}
