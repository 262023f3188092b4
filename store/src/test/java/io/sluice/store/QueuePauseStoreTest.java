package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.job.Uuid7;
import io.sluice.core.work.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pausing a queue parks its jobs (at the relay and at a worker's claim); resuming sends them on. */
class QueuePauseStoreTest {

    private static final Duration TTL = Duration.ofHours(24);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final OutboxStore outbox = new OutboxStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final QueuePauseStore pauses = new QueuePauseStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final LeaseStore leases = new LeaseStore(db.jdbc, db.tx, clock, ids, db.systemEvents(clock),
            RetrySchedule.parse("1s,2s,3s", "1s,2s,3s"));
    private final UUID org = db.newOrganization(clock);

    @BeforeEach
    void drainTheOutbox() {
        while (outbox.backlog() > 0) {
            outbox.claimAndPublish(1_000, (batch, work) -> { });
        }
    }

    @Test
    void theRelayParksAPausedQueuesJobsAndResumingPutsBackThoseStillPendingInJobOrder() {
        // given: a paused queue with three jobs accepted, one of them then cancelled
        UUID first = ids.next();
        clock.advance(Duration.ofMillis(1));
        UUID cancelled = ids.next();
        clock.advance(Duration.ofMillis(1));
        UUID third = ids.next();
        jobs.insertBatch(List.of(job(first, org, "exports", null, null), job(cancelled, org, "exports", null, null)), TTL);
        assertThat(pauses.pause(org, "exports", "nightly window")).isPresent();
        jobs.insertBatch(List.of(job(third, org, "exports", null, null)), TTL);
        List<WorkItem> published = new ArrayList<>();

        // when
        outbox.claimAndPublish(100, (deliveries, work) -> published.addAll(work));
        new CancellationStore(db.jdbc, db.tx, db.systemEvents(clock), clock).cancel(org, cancelled);
        clock.advance(Duration.ofSeconds(90));
        QueuePauseStore.Resumed resumed = pauses.resume(org, "exports").orElseThrow();
        outbox.claimAndPublish(100, (deliveries, work) -> published.addAll(work));

        // then: nothing went out while paused; afterwards the pending two, in order
        assertThat(resumed.wasPaused()).isTrue();
        assertThat(resumed.pausedFor()).isEqualTo(Duration.ofSeconds(90));
        assertThat(resumed.released()).isEqualTo(2);
        assertThat(published).extracting(WorkItem::jobId).containsExactly(first, third);
        assertThat(db.count("SELECT count(*) FROM parked_jobs WHERE organization_id = ?", org)).isZero();
        assertThat(pauses.paused(org, "exports")).isEmpty();
    }

    @Test
    void aClaimOnAPausedQueueLeasesNothingAndParksWhatItWasGiven() {
        // given: a job already relayed to the work feed, then its queue paused
        UUID id = ids.next();
        jobs.insertBatch(List.of(job(id, org, "exports", null, null)), TTL);
        outbox.claimAndPublish(100, (deliveries, work) -> { });
        pauses.pause(org, "exports", null);

        // when
        List<LeasedJob> leased = leases.lease(org, "exports", List.of(id), UUID.randomUUID(), Duration.ofSeconds(30));

        // then: parked, and handed out once the queue is resumed
        assertThat(leased).isEmpty();
        assertThat(db.count("SELECT count(*) FROM parked_jobs WHERE job_id = ?", id)).isEqualTo(1);
        assertThat(pauses.resume(org, "exports").orElseThrow().released()).isEqualTo(1);
        UUID worker = UUID.randomUUID();
        List<LeasedJob> afterResume = leases.lease(org, "exports", List.of(id), worker, Duration.ofSeconds(30));
        assertThat(afterResume).extracting(LeasedJob::id).containsExactly(id);
        // done, so that no lease of this test is left for other tests' reapers to find
        leases.complete(org, id, worker, afterResume.getFirst().leaseId(), null);
    }

    @Test
    void anUnknownQueueCannotBePausedOrResumed() {
        assertThat(pauses.pause(org, "nowhere", null)).isEmpty();
        assertThat(pauses.resume(org, "nowhere")).isEmpty();
    }
}
