package io.sluice.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeaseCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final UUID worker = UUID.randomUUID();
    private final UUID lease = UUID.randomUUID();
    private final LeaseCheck.JobLease live =
            new LeaseCheck.JobLease(JobState.PROCESSING, worker, lease, NOW.plusSeconds(10));

    @Test
    void theHolderOfALiveLeaseMayActWithOrWithoutItsLeaseId() {
        assertThat(LeaseCheck.check(live, worker, lease, NOW)).isInstanceOf(LeaseCheck.Verdict.Held.class);
        assertThat(LeaseCheck.check(live, worker, null, NOW)).isInstanceOf(LeaseCheck.Verdict.Held.class);
    }

    @Test
    void aStaleLeaseIdOrAnExpiredLeaseIsExpiredAndAnotherWorkerWithoutOneDoesNotOwnIt() {
        assertThat(LeaseCheck.check(live, worker, UUID.randomUUID(), NOW)).isInstanceOf(LeaseCheck.Verdict.Expired.class);
        assertThat(LeaseCheck.check(live, worker, lease, NOW.plusSeconds(10))).isInstanceOf(LeaseCheck.Verdict.Expired.class);
        assertThat(LeaseCheck.check(live, worker, null, NOW.plusSeconds(11))).isInstanceOf(LeaseCheck.Verdict.Expired.class);
        assertThat(LeaseCheck.check(live, UUID.randomUUID(), null, NOW)).isInstanceOf(LeaseCheck.Verdict.NotOwned.class);
        LeaseCheck.JobLease takenBack = new LeaseCheck.JobLease(JobState.PENDING, null, null, null);
        assertThat(LeaseCheck.check(takenBack, worker, lease, NOW)).isInstanceOf(LeaseCheck.Verdict.Expired.class);
    }

    @Test
    void aCompletedJobIsSaidToBeCompleted() {
        LeaseCheck.JobLease done = new LeaseCheck.JobLease(JobState.COMPLETED, worker, lease, null);
        assertThat(LeaseCheck.check(done, worker, lease, NOW)).isInstanceOf(LeaseCheck.Verdict.AlreadyCompleted.class);
    }

    @Test
    void aFailureIsRetriedOnTheScheduleWhileRetriesAreLeftAndTheWorkerWantsIt() {
        RetrySchedule schedule = RetrySchedule.parse("5s,5m", "5s,5m");
        assertThat(WorkerRetry.after(schedule, 0, 3, true, "x")).isEqualTo(new WorkerRetry.Next.Retry(Duration.ofSeconds(5)));
        assertThat(WorkerRetry.after(schedule, 1, 3, true, "x")).isEqualTo(new WorkerRetry.Next.Retry(Duration.ofMinutes(5)));
        assertThat(WorkerRetry.after(schedule, 2, 3, true, "x")).isEqualTo(new WorkerRetry.Next.Retry(Duration.ofMinutes(5)));
        assertThat(WorkerRetry.after(schedule, 3, 3, true, "x")).isInstanceOf(WorkerRetry.Next.DeadLetter.class);
        assertThat(WorkerRetry.after(schedule, 0, 3, false, "x")).isInstanceOf(WorkerRetry.Next.DeadLetter.class);
    }
}
