package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** ProjectionStore.recordAttempts: attempt rows and the job states they lead to. */
class ProjectionStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final UUID org = db.newOrganization(clock);
    private final UUID endpoint = UUID.randomUUID();

    @Test
    void aDeliveredAttemptCompletesAPendingJob() {
        // given
        UUID job = pendingJob();
        clock.advance(Duration.ofSeconds(1));
        AttemptRecorded delivered = delivered(job);

        // when
        clock.advance(Duration.ofSeconds(1));
        projection.recordAttempts(List.of(delivered));

        // then
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("completed");
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.startedAt()).isEqualTo(delivered.startedAt());
        assertThat(stored.completedAt()).isEqualTo(delivered.startedAt().plusMillis(delivered.durationMs()));
        assertThat(stored.updatedAt()).isEqualTo(clock.instant());
        assertThat(stored.lastError()).isNull();
        List<AttemptRecord> attempts = jobs.attempts(job);
        assertThat(attempts).hasSize(1);
        AttemptRecord attempt = attempts.get(0);
        assertThat(attempt.id()).isEqualTo(delivered.attemptId());
        assertThat(attempt.number()).isEqualTo(1);
        assertThat(attempt.endpointId()).isEqualTo(endpoint);
        assertThat(attempt.startedAt()).isEqualTo(delivered.startedAt());
        assertThat(attempt.durationMs()).isEqualTo(delivered.durationMs());
        assertThat(attempt.statusCode()).isEqualTo(200);
        assertThat(attempt.responseExcerpt()).isEqualTo("ok");
        assertThat(attempt.worker()).isEqualTo("worker-1");
    }

    @Test
    void aFailedAttemptWithARetryDueLeavesTheJobPendingWithItsNextAttemptAndError() {
        // given
        UUID job = pendingJob();
        AttemptRecorded failed = failed(job);

        // when
        projection.recordAttempts(List.of(failed));

        // then
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("pending");
        assertThat(stored.nextAttemptAt()).isEqualTo(failed.nextAttemptAt());
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.retryCount()).isZero();
        assertThat(stored.completedAt()).isNull();
        assertThat(stored.lastError()).isEqualTo("HTTP 503 from receiver");
        assertThat(jobs.attempts(job)).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(503);
            assertThat(a.errorClass()).isEqualTo("http_status");
            assertThat(a.responseExcerpt()).isEqualTo("down for maintenance");
        });
    }

    @Test
    void exhaustedAttemptsDeadLetterTheJobWithTheReasonAndIndexItInTheDeadLetterQueue() {
        // given: two failed attempts, the second the last one allowed
        UUID job = pendingJob();
        projection.recordAttempts(List.of(failed(job)));
        clock.advance(Duration.ofSeconds(5));
        AttemptRecorded last = new AttemptRecorded(ids.next(), job, org, endpoint, clock.instant(), 20, 500, "boom",
                "http_status", "HTTP 500 from receiver", JobState.DEADLETTER, "worker-1", 2, null,
                "gave up after 2 attempts; last: HTTP 500 from receiver", false);

        // when
        clock.advance(Duration.ofSeconds(1));
        projection.recordAttempts(List.of(last));

        // then
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("deadletter");
        assertThat(stored.lastError()).isEqualTo("gave up after 2 attempts; last: HTTP 500 from receiver", false);
        assertThat(stored.nextAttemptAt()).isNull();
        assertThat(stored.retryCount()).isEqualTo(1);
        assertThat(stored.attempts()).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM dead_letters WHERE job_id = ? AND queue_name = 'default'"
                + " AND reason LIKE 'gave up after 2 attempts%'", job)).isEqualTo(1);
    }

    @Test
    void projectingTheSameBatchTwiceLeavesOneAttemptAndOneCountedAttempt() {
        // given
        UUID job = pendingJob();
        List<AttemptRecorded> batch = List.of(delivered(job));
        projection.recordAttempts(batch);
        JobRecord once = jobs.get(org, job).orElseThrow();

        // when
        clock.advance(Duration.ofSeconds(5));
        projection.recordAttempts(batch);

        // then
        assertThat(jobs.attempts(job)).hasSize(1);
        assertThat(db.count("SELECT count(*) FROM attempts WHERE job_id = ?", job)).isEqualTo(1);
        JobRecord twice = jobs.get(org, job).orElseThrow();
        assertThat(twice.attempts()).isEqualTo(1);
        assertThat(twice.state()).isEqualTo("completed");
        assertThat(twice.completedAt()).isEqualTo(once.completedAt());
    }

    @Test
    void aFailedAttemptAfterACompletedOneDoesNotMoveTheJobBack() {
        // given
        UUID job = pendingJob();
        AttemptRecorded delivered = delivered(job);
        projection.recordAttempts(List.of(delivered));

        // when
        clock.advance(Duration.ofSeconds(3));
        projection.recordAttempts(List.of(failed(job)));

        // then
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("completed");
        assertThat(stored.completedAt()).isEqualTo(delivered.startedAt().plusMillis(delivered.durationMs()));
        assertThat(stored.lastError()).isNull();
        assertThat(jobs.attempts(job)).hasSize(2);
        assertThat(stored.attempts()).as("the count includes the attempt that did not move the job").isEqualTo(2);
    }

    @Test
    void aBatchHoldingADeliveryAndALaterFailureOfOneJobLeavesItCompleted() {
        // given
        UUID job = pendingJob();
        AttemptRecorded delivered = delivered(job);
        clock.advance(Duration.ofSeconds(2));
        AttemptRecorded failed = failed(job);

        // when
        projection.recordAttempts(List.of(delivered, failed));

        // then
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("completed");
        assertThat(stored.completedAt()).isEqualTo(delivered.startedAt().plusMillis(delivered.durationMs()));
        assertThat(stored.attempts()).isEqualTo(2);
        assertThat(jobs.attempts(job)).extracting(AttemptRecord::id, AttemptRecord::number)
                .containsExactly(
                        tuple(delivered.attemptId(), 1),
                        tuple(failed.attemptId(), 2));
    }

    @Test
    void aFailedAttemptThenADeliveredOneInALaterBatchCompletesTheJob() {
        // given
        UUID job = pendingJob();
        projection.recordAttempts(List.of(failed(job)));
        assertThat(jobs.get(org, job).orElseThrow().state()).isEqualTo("pending");

        // when
        clock.advance(Duration.ofSeconds(30));
        AttemptRecorded delivered = delivered(job);
        projection.recordAttempts(List.of(delivered));

        // then
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("completed");
        assertThat(stored.completedAt()).isEqualTo(delivered.startedAt().plusMillis(delivered.durationMs()));
        assertThat(stored.attempts()).isEqualTo(2);
    }

    private UUID pendingJob() {
        NewJob job = job(ids.next(), org, "default", null, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        return job.id();
    }

    private AttemptRecorded delivered(UUID job) {
        Instant started = clock.instant();
        return new AttemptRecorded(ids.next(), job, org, endpoint, started, 137, 200, "ok", null, null,
                JobState.COMPLETED, "worker-1", 1, null, null, false);
    }

    /** A first attempt that failed, with the next one due five seconds later. */
    private AttemptRecorded failed(UUID job) {
        Instant started = clock.instant();
        return new AttemptRecorded(ids.next(), job, org, endpoint, started, 4_012, 503, "down for maintenance",
                "http_status", "HTTP 503 from receiver", JobState.PENDING, "worker-2", 1,
                started.plusSeconds(5), null, false);
    }
}
