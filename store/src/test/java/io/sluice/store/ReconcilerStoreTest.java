package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's passes on a real PostgreSQL, with a clock the test moves: a job whose record
 * was lost gets a new outbox row at the attempt that was lost; jobs that ended, or wait in
 * PostgreSQL, do not.
 */
class ReconcilerStoreTest {

    private static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = tenYearsAhead();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final ReconcilerStore reconciler = new ReconcilerStore(db.jdbc, db.tx, clock);
    private final LeaseStore leases = new LeaseStore(db.jdbc, db.tx, clock, ids, db.systemEvents(clock),
            RetrySchedule.parse("1s", "1s"));
    private final UUID org = db.newOrganization(clock);
    private final UUID endpoint = UUID.randomUUID();

    /**
     * The reconciler looks at every job of the schema: this test's jobs are made ten years ahead,
     * and it looks from there on, so the jobs of other tests (whose clocks stay near today) are
     * neither counted here nor sent again.
     */
    private static MutableClock tenYearsAhead() {
        MutableClock clock = MutableClock.startingNow();
        clock.advance(Duration.ofDays(3650));
        return clock;
    }

    @BeforeEach
    void startFromNow() {
        db.jdbc.update("DELETE FROM reconciler_watch");
        db.jdbc.update("""
                INSERT INTO reconciler_cursor (examined_up_to, updated_at) VALUES (?, now())
                ON CONFLICT (singleton) DO UPDATE SET examined_up_to = excluded.examined_up_to""",
                Uuid7.lowerBound(clock.instant()));
    }

    @AfterEach
    void leaveNoOutboxRows() {
        db.jdbc.update("DELETE FROM outbox WHERE job_id IN (SELECT id FROM jobs WHERE organization_id = ?)", org);
    }

    @Test
    void aJobWhoseRecordWasLostIsSentAgainOnceLateAndAgainLaterIfStillNothingHappens() {
        // given: published (its outbox row taken), then nothing
        UUID job = relayedJob();

        // when / then: not before it is late
        clock.advance(Duration.ofMinutes(9));
        assertThat(reconciler.examineNew(STUCK_AFTER, 100).repairs()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        ReconcilerStore.Pass pass = reconciler.examineNew(STUCK_AFTER, 100);
        assertThat(pass.examined()).isEqualTo(1);
        assertThat(pass.repairs()).extracting(ReconcilerStore.Repair::jobId, ReconcilerStore.Repair::done)
                .containsExactly(Tuple.tuple(job, "sent on again at attempt 1"));
        assertThat(outboxAttempts(job)).containsExactly(1);

        // the relay takes it again, and again nothing comes of it: the next repair waits twice as long
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job);
        clock.advance(Duration.ofMinutes(15));
        assertThat(reconciler.examineWatched(STUCK_AFTER, 100).repairs()).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(reconciler.examineWatched(STUCK_AFTER, 100).repairs()).hasSize(1);
        assertThat(outboxAttempts(job)).containsExactly(1);
    }

    @Test
    void aRetryThatNeverCameIsSentAgainAtTheAttemptThatWasDue() {
        // given: the first attempt failed, the second is due in 5 s, and its record is lost
        UUID job = relayedJob();
        fail(job, 1, clock.instant().plusSeconds(5));

        // when: first looked at once it is late
        clock.advance(Duration.ofMinutes(11));
        List<ReconcilerStore.Repair> repairs = reconciler.examineNew(STUCK_AFTER, 100).repairs();

        // then
        assertThat(repairs).extracting(ReconcilerStore.Repair::done).containsExactly("sent on again at attempt 2");
        assertThat(repairs.getFirst().reason()).contains("attempt 2 was due");
        assertThat(outboxAttempts(job)).containsExactly(2);
    }

    @Test
    void jobsThatEndedOrWaitInPostgresqlAreNotSentAgainAndEndedOnesAreForgotten() {
        UUID completed = relayedJob();
        complete(completed);
        UUID inOutbox = newJob();
        UUID delayed = ids.next();
        jobs.insertBatch(List.of(new NewJob(delayed, org, "q", "{}", endpoint, 0, 3, null, null, null, null, null,
                clock.instant().plus(Duration.ofDays(2)))), Duration.ofHours(1));

        clock.advance(Duration.ofMinutes(11));
        ReconcilerStore.Pass pass = reconciler.examineNew(STUCK_AFTER, 100);

        assertThat(pass.examined()).isEqualTo(3);
        assertThat(pass.repairs()).isEmpty();
        assertThat(outboxAttempts(inOutbox)).hasSize(1);
        assertThat(db.count("SELECT count(*) FROM reconciler_watch WHERE job_id = ?", completed)).isZero();
        assertThat(db.count("SELECT count(*) FROM reconciler_watch WHERE job_id IN (?, ?)", inOutbox, delayed))
                .isEqualTo(2);
        // a job now completed is forgotten when it is looked at again
        complete(inOutbox);
        clock.advance(Duration.ofMinutes(11));
        reconciler.examineWatched(STUCK_AFTER, 100);
        assertThat(db.count("SELECT count(*) FROM reconciler_watch WHERE job_id = ?", inOutbox)).isZero();
    }

    @Test
    void aWorkersLeaseThatRanOutWithoutAGrantIsNamedToTheReaperWhichTakesTheJobBack() {
        // given: leased for a minute by a node that wrote no lease grant (one of an earlier release)
        UUID job = leasedWithoutAGrant(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(5));
        reapAll();
        assertThat(jobs.get(org, job).orElseThrow().state()).as("nothing tells the reaper of it").isEqualTo("processing");

        // when: looked at once its lease is late by the reconciler's patience
        clock.advance(Duration.ofMinutes(7));
        List<ReconcilerStore.Repair> repairs = reconciler.examineNew(STUCK_AFTER, 100).repairs();

        // then: named to the reaper, which takes it back down the retry path
        assertThat(repairs).extracting(ReconcilerStore.Repair::jobId, ReconcilerStore.Repair::done)
                .containsExactly(Tuple.tuple(job, "its lease named to the lease reaper again"));
        assertThat(repairs.getFirst().reason()).contains("its lease ran out at");
        assertThat(outboxAttempts(job)).as("not sent on again: it is a worker's").isEmpty();
        reapAll();
        assertThat(jobs.get(org, job).orElseThrow().state()).isEqualTo("pending");
    }

    @Test
    void aWorkersLeaseStillRunningIsLeftToItsWorker() {
        // given: leased for an hour, its grant lost
        UUID job = leasedWithoutAGrant(Duration.ofHours(1));

        // when
        clock.advance(Duration.ofMinutes(30));

        // then
        assertThat(reconciler.examineNew(STUCK_AFTER, 100).repairs()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM lease_grants WHERE ? = ANY(job_ids)", job)).isZero();
        assertThat(jobs.get(org, job).orElseThrow().state()).isEqualTo("processing");
    }

    private UUID newJob() {
        clock.advance(Duration.ofMillis(1));
        NewJob job = StoreTestSupport.job(ids.next(), org, "q", endpoint, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        return job.id();
    }

    /** Settles every lease grant that ran out, this test's and any other's (the schema is shared). */
    private void reapAll() {
        while (leases.expireLeases(100).grants() == 100) {
            // more may have run out
        }
    }

    /** A job of a worker queue, leased as a node of a release before lease grants leased it. */
    private UUID leasedWithoutAGrant(Duration lease) {
        UUID job = ids.next();
        jobs.insertBatch(List.of(StoreTestSupport.job(job, org, "reports", null, null)), Duration.ofHours(1));
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job);
        leases.lease(org, "reports", List.of(job), UUID.randomUUID(), lease);
        db.jdbc.update("DELETE FROM lease_grants WHERE ? = ANY(job_ids)", job);
        return job;
    }

    /** Created, and its outbox row taken by the relay. */
    private UUID relayedJob() {
        UUID job = newJob();
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job);
        return job;
    }

    private List<Integer> outboxAttempts(UUID job) {
        return db.jdbc.queryForList("SELECT coalesce(attempt, 1) FROM outbox WHERE job_id = ?", Integer.class, job);
    }

    private void complete(UUID job) {
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job);
        projection.recordAttempts(List.of(new AttemptRecorded(ids.next(), job, org, endpoint, clock.instant(), 5, 200,
                "ok", null, null, JobState.COMPLETED, "worker-1", 1, null, null, false)));
    }

    private void fail(UUID job, int attempt, Instant nextAttemptAt) {
        projection.recordAttempts(List.of(new AttemptRecorded(ids.next(), job, org, endpoint, clock.instant(), 5, 500,
                "boom", "http_status", "HTTP 500", JobState.PENDING, "worker-1", attempt, nextAttemptAt, null, false)));
    }
}
