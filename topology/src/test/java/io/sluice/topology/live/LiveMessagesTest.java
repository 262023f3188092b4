package io.sluice.topology.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.event.WorkerChanged;
import io.sluice.core.job.JobState;
import io.sluice.core.stats.FlowRates;
import io.sluice.core.stats.LatencyPercentiles;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import io.sluice.core.stats.StatsScope;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the realtime API says of each kind of change (the Spooled message types). */
class LiveMessagesTest {

    private static final Instant CREATED = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void aNewJobIsJobCreatedWithItsPriority() {
        assertThat(LiveMessages.of(change(null, JobState.PENDING, null)))
                .singleElement().satisfies(message -> {
                    assertThat(message.type()).isEqualTo("JobCreated");
                    assertThat(message.data()).containsEntry("priority", 5).containsEntry("queue_name", "emails");
                });
    }

    @Test
    void aCompletionIsAStatusChangeThenJobCompletedWithTheTimeSinceItWasCreated() {
        assertThat(LiveMessages.of(change(JobState.PENDING, JobState.COMPLETED, null)))
                .extracting(LiveMessage::type).containsExactly("JobStatusChange", "JobCompleted");
        assertThat(LiveMessages.of(change(JobState.PENDING, JobState.COMPLETED, null)).get(1).data())
                .containsEntry("duration_ms", 1500L);
    }

    @Test
    void aJobGivenUpIsAStatusChangeThenJobFailedThatWillNotRetry() {
        LiveMessage failed = LiveMessages.of(change(JobState.PENDING, JobState.DEADLETTER, "HTTP 500")).get(1);

        assertThat(failed.type()).isEqualTo("JobFailed");
        assertThat(failed.data()).containsEntry("error", "HTTP 500").containsEntry("retry_count", 2)
                .containsEntry("will_retry", false);
        assertThat(failed.json()).startsWith("{\"type\":\"JobFailed\",\"data\":{");
    }

    @Test
    void aGoneJobSaysNothingAndOtherMovesAreStatusChanges() {
        assertThat(LiveMessages.of(change(JobState.CANCELLED, null, null))).isEmpty();
        assertThat(LiveMessages.of(change(JobState.SCHEDULED, JobState.PENDING, null))).singleElement()
                .satisfies(message -> assertThat(message.data()).containsEntry("old_status", "scheduled")
                        .containsEntry("new_status", "pending"));
    }

    @Test
    void aWorkersFailedAttemptIsJobFailedThatWillRetry() {
        assertThat(LiveMessages.of(change(JobState.PROCESSING, JobState.PENDING, "worker said no")))
                .extracting(LiveMessage::type).containsExactly("JobStatusChange", "JobFailed");
        assertThat(LiveMessages.of(change(JobState.PROCESSING, JobState.PENDING, "worker said no")).get(1).data())
                .containsEntry("will_retry", true).containsEntry("error", "worker said no")
                .containsEntry("retry_count", 2);
        assertThat(LiveMessages.of(change(JobState.SCHEDULED, JobState.PENDING, null)))
                .extracting(LiveMessage::type).containsExactly("JobStatusChange");
    }

    @Test
    void aWebhookAttemptThatWillBeRetriedIsJobFailedAndOthersSayNothing() {
        AttemptRecorded retried = attempt(503, JobState.PENDING);
        assertThat(LiveMessages.of(retried)).singleElement().satisfies(message -> {
            assertThat(message.type()).isEqualTo("JobFailed");
            assertThat(message.data()).containsEntry("will_retry", true).containsEntry("retry_count", 1)
                    .containsEntry("error", "HTTP 503").containsEntry("queue_name", "emails")
                    .containsEntry("next_attempt_at", CREATED.plusSeconds(60).toString());
        });
        assertThat(LiveMessages.of(attempt(200, JobState.COMPLETED))).isEmpty();
        assertThat(LiveMessages.of(attempt(500, JobState.DEADLETTER))).as("said by its state change").isEmpty();
    }

    private static AttemptRecorded attempt(int status, JobState after) {
        return new AttemptRecorded(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), CREATED,
                40, status, "", status >= 300 ? "http_status" : null, status >= 300 ? "HTTP " + status : null, after,
                "w", 2, after == JobState.PENDING ? CREATED.plusSeconds(60) : null, null, false, "emails");
    }

    @Test
    void queueStatsCarryTheCountsAndHowWorkFlows() {
        ScopeFlow flow = new ScopeFlow(CREATED, new FlowRates(40, 35.5, 2.25), new FlowRates(1, 0.5, 0.1),
                FlowRates.NONE, new LatencyPercentiles(10, 120L, 300L, 900L), LatencyPercentiles.NONE, 4_200L);
        LiveMessage message = LiveMessages.queueStats(new ScopeStats(StatsScope.queue(UUID.randomUUID(), "emails"),
                new StateCounts(1, 2, 3, 4, 5, 6, 7), CREATED, flow));

        assertThat(message.json()).startsWith("{\"type\":\"QueueStats\",\"data\":{\"queue_name\":\"emails\","
                + "\"pending\":2,\"processing\":3,\"completed\":4,\"failed\":11,")
                .contains("\"delivered_per_second\":{\"last_second\":40.0,\"last_minute\":35.5,\"last_hour\":2.25}")
                .contains("\"latency_ms\":{\"last_minute\":{\"count\":10,\"p50\":120,\"p90\":300,\"p99\":900},"
                        + "\"last_hour\":{\"count\":0,\"p50\":null,\"p90\":null,\"p99\":null}}")
                .endsWith("\"oldest_pending_ms\":4200}}");
    }

    @Test
    void aWorkersRegistrationHeartbeatAndDeregistrationAreWorkerMessages() {
        UUID worker = UUID.randomUUID();
        LiveMessage registered = LiveMessages.of(workerChange(worker, WorkerChanged.Kind.REGISTERED, "healthy", 0));
        LiveMessage beat = LiveMessages.of(workerChange(worker, WorkerChanged.Kind.HEARTBEAT, "degraded", 3));
        LiveMessage gone = LiveMessages.of(workerChange(worker, WorkerChanged.Kind.DEREGISTERED, "offline", 0));

        assertThat(registered.json()).isEqualTo("{\"type\":\"WorkerRegistered\",\"data\":{\"worker_id\":\"" + worker
                + "\",\"queue_name\":\"emails\",\"hostname\":\"box-1\",\"status\":\"healthy\",\"current_jobs\":0,"
                + "\"at\":\"2026-11-29T12:00:00Z\"}}");
        assertThat(beat.type()).isEqualTo("WorkerHeartbeat");
        assertThat(beat.data()).containsEntry("worker_id", worker.toString()).containsEntry("status", "degraded")
                .containsEntry("current_jobs", 3).doesNotContainKey("hostname");
        assertThat(gone.type()).isEqualTo("WorkerDeregistered");
        assertThat(gone.data()).containsEntry("queue_name", "emails").containsEntry("status", "offline");
    }

    private static WorkerChanged workerChange(UUID worker, WorkerChanged.Kind kind, String status, int currentJobs) {
        return new WorkerChanged(9, worker, UUID.randomUUID(), "emails", "box-1", kind, status, currentJobs, CREATED);
    }

    private static JobStateChanged change(JobState from, JobState to, String error) {
        return new JobStateChanged(7, UUID.randomUUID(), UUID.randomUUID(), "emails", from, to, CREATED, 5, 3, error,
                CREATED.plusMillis(1500), null, from == null ? null : CREATED, CREATED.plusMillis(1500));
    }
}
