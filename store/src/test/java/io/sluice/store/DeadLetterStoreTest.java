package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DeadLetterStore: list, retry and purge of dead-lettered jobs, and the retry of one job.
 * Jobs reach {@code deadletter} the way production takes them there, through the projector.
 */
class DeadLetterStoreTest {

    private static final Duration TTL = Duration.ofHours(24);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final DeadLetterStore deadLetters = new DeadLetterStore(db.jdbc, db.tx, clock);
    private final UUID org = db.newOrganization(clock);
    private final UUID other = db.newOrganization(clock);
    private final UUID endpoint = UUID.randomUUID();

    @Test
    void listShowsOnlyTheOrganizationsDeadLetteredJobsNewestDeadFirstAndPages() {
        // given: created a, b, c; dead c, a, b, so the dead order is not the id order
        UUID a = pendingJob(org, "emails", endpoint);
        UUID b = pendingJob(org, "emails", endpoint);
        UUID c = pendingJob(org, "reports", endpoint);
        deadLetter(org, c);
        clock.advance(Duration.ofSeconds(1));
        deadLetter(org, a);
        clock.advance(Duration.ofSeconds(1));
        deadLetter(org, b);
        pendingJob(org, "emails", endpoint);
        complete(org, pendingJob(org, "emails", endpoint));
        deadLetteredJob(other, "emails");

        // when
        List<JobRecord> all = deadLetters.list(new DeadLetterQuery(org, null, 10, 0));
        List<JobRecord> emails = deadLetters.list(new DeadLetterQuery(org, "emails", 10, 0));
        List<JobRecord> secondPage = deadLetters.list(new DeadLetterQuery(org, null, 2, 2));

        // then
        assertThat(all).extracting(JobRecord::id).containsExactly(b, a, c);
        assertThat(all).extracting(JobRecord::state).containsOnly("deadletter");
        assertThat(all.getFirst().payload()).isEqualTo("{\"job\": \"" + b + "\"}");
        assertThat(all.getFirst().lastError()).isEqualTo("gave up after 3 attempts");
        assertThat(emails).extracting(JobRecord::id).containsExactly(b, a);
        assertThat(secondPage).extracting(JobRecord::id).containsExactly(c);
        assertThat(deadLetters.list(new DeadLetterQuery(org, "nothing-here", 10, 0))).isEmpty();
    }

    @Test
    void aTagFilterListsTheDeadLetteredJobsWithThatTag() {
        // given
        UUID prod = pendingJob(org, "emails", endpoint);
        UUID dev = pendingJob(org, "emails", endpoint);
        db.jdbc.update("UPDATE jobs SET tags = '{\"env\": \"prod\"}' WHERE id = ?", prod);
        db.jdbc.update("UPDATE jobs SET tags = '{\"env\": \"dev\"}' WHERE id = ?", dev);
        deadLetter(org, prod);
        deadLetter(org, dev);

        // then
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0, "env"))).extracting(JobRecord::id)
                .containsExactlyInAnyOrder(prod, dev);
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0, "env:prod"))).extracting(JobRecord::id)
                .containsExactly(prod);
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0, "team"))).isEmpty();
    }

    @Test
    void retryMovesADeadLetteredJobToPendingAsIfNewAndQueuesItForPublishing() {
        // given
        UUID job = deadLetteredJob(org, "emails");
        JobRecord dead = jobs.get(org, job).orElseThrow();
        assertThat(dead.retryCount()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(5));

        // when
        List<UUID> retried = deadLetters.retry(new DeadLetterRetry(org, List.of(job), null, 100));

        // then
        assertThat(retried).containsExactly(job);
        JobRecord stored = jobs.get(org, job).orElseThrow();
        assertThat(stored.state()).isEqualTo("pending");
        assertThat(stored.retryCount()).isZero();
        assertThat(stored.nextAttemptAt()).isNull();
        assertThat(stored.updatedAt()).isEqualTo(clock.instant());
        assertThat(stored.attempts()).as("the history stays").isEqualTo(dead.attempts());
        assertThat(jobs.attempts(job)).hasSize(3);
        assertThat(db.count("SELECT count(*) FROM dead_letters WHERE job_id = ?", job)).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", job)).isEqualTo(1);
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0))).isEmpty();
    }

    @Test
    void retryingTheSameJobTwiceRetriesItOnce() {
        // given
        UUID job = deadLetteredJob(org, "emails");
        deadLetters.retry(new DeadLetterRetry(org, List.of(job), null, 100));

        // when
        List<UUID> again = deadLetters.retry(new DeadLetterRetry(org, List.of(job), null, 100));

        // then
        assertThat(again).isEmpty();
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", job)).isEqualTo(1);
    }

    @Test
    void retryNeverMovesACompletedOrPendingJobNorAnotherOrganizations() {
        // given
        UUID completed = pendingJob(org, "emails", endpoint);
        complete(org, completed);
        UUID pending = pendingJob(org, "emails", endpoint);
        UUID theirs = deadLetteredJob(other, "emails");

        // when
        List<UUID> byId = deadLetters.retry(new DeadLetterRetry(org, List.of(completed, pending, theirs), null, 100));
        List<UUID> byQueue = deadLetters.retry(new DeadLetterRetry(org, null, "emails", 100));

        // then
        assertThat(byId).isEmpty();
        assertThat(byQueue).isEmpty();
        assertThat(jobs.get(org, completed).orElseThrow().state()).isEqualTo("completed");
        assertThat(jobs.get(org, pending).orElseThrow().state()).isEqualTo("pending");
        assertThat(jobs.get(other, theirs).orElseThrow().state()).isEqualTo("deadletter");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id IN (?, ?, ?)", completed, pending, theirs))
                .isZero();
    }

    @Test
    void retryByQueueMovesTheLongestDeadFirstUpToTheLimit() {
        // given
        UUID first = deadLetteredJob(org, "emails");
        UUID second = deadLetteredJob(org, "emails");
        UUID third = deadLetteredJob(org, "emails");
        UUID report = deadLetteredJob(org, "reports");

        // when
        List<UUID> retried = deadLetters.retry(new DeadLetterRetry(org, null, "emails", 2));

        // then
        assertThat(retried).containsExactly(first, second);
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0))).extracting(JobRecord::id)
                .containsExactly(report, third);
    }

    @Test
    void concurrentRetriesOfOneQueueMoveEachJobExactlyOnce() throws Exception {
        // given
        Set<UUID> dead = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            dead.add(deadLetteredJob(org, "emails"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<UUID>>> runs = new ArrayList<>();

        // when: four callers retry five at a time until nothing is left
        for (int t = 0; t < 4; t++) {
            runs.add(pool.submit(() -> {
                List<UUID> mine = new ArrayList<>();
                List<UUID> batch;
                do {
                    batch = deadLetters.retry(new DeadLetterRetry(org, null, "emails", 5));
                    mine.addAll(batch);
                } while (!batch.isEmpty());
                return mine;
            }));
        }
        List<UUID> moved = new ArrayList<>();
        for (Future<List<UUID>> run : runs) {
            moved.addAll(run.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        // then
        assertThat(moved).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(dead);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ANY(?::uuid[])",
                (Object) dead.toArray(UUID[]::new))).isEqualTo(dead.size());
    }

    @Test
    void retryOfAWorkerJobGoesBackToTheWorkFeedThroughTheOutboxAsAtInsert() {
        // given: a job without an endpoint reaches workers through the work topic, which the relay feeds
        UUID job = pendingJob(org, "work", null);
        deadLetter(org, job);

        // when
        List<UUID> retried = deadLetters.retry(new DeadLetterRetry(org, null, null, 100));

        // then: without the outbox row no worker would ever be offered it
        assertThat(retried).containsExactly(job);
        assertThat(jobs.get(org, job).orElseThrow().state()).isEqualTo("pending");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", job)).isEqualTo(1);
    }

    @Test
    void aLateRetryEventDoesNotReviveADeadLetteredJob() {
        // given
        UUID job = deadLetteredJob(org, "emails");

        // when: an event of an earlier attempt, which had a retry due, arrives late
        clock.advance(Duration.ofSeconds(1));
        projection.recordAttempts(List.of(attempt(org, job, JobState.PENDING, 1)));

        // then
        assertThat(jobs.get(org, job).orElseThrow().state()).isEqualTo("deadletter");
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0))).extracting(JobRecord::id).containsExactly(job);
    }

    @Test
    void aJobThatMovedOnIsNeitherListedNorRetriedNorPurgedThoughItsIndexRowRemains() {
        // given: the job's state is the truth, whatever the index row says
        UUID job = deadLetteredJob(org, "emails");
        db.jdbc.update("UPDATE jobs SET state = 'pending' WHERE id = ?", job);
        assertThat(db.count("SELECT count(*) FROM dead_letters WHERE job_id = ?", job)).isEqualTo(1);

        // when
        List<JobRecord> listed = deadLetters.list(new DeadLetterQuery(org, null, 10, 0));
        List<UUID> retried = deadLetters.retry(new DeadLetterRetry(org, null, null, 100));
        int purged = deadLetters.purge(new DeadLetterPurge(org, null, null, 100));

        // then
        assertThat(listed).isEmpty();
        assertThat(retried).isEmpty();
        assertThat(purged).isZero();
        assertThat(jobs.get(org, job)).isPresent();
    }

    @Test
    void retryingOneFailedOrDeadLetteredJobMovesItToPending() {
        // given: nothing in production fails a webhook job yet, so the test sets the state
        UUID failed = pendingJob(org, "emails", endpoint);
        db.jdbc.update("UPDATE jobs SET state = 'failed', retry_count = 3 WHERE id = ?", failed);
        UUID dead = deadLetteredJob(org, "emails");
        clock.advance(Duration.ofSeconds(10));

        // when
        JobRetryResult fromFailed = deadLetters.retryJob(new JobRetry(org, failed));
        JobRetryResult fromDead = deadLetters.retryJob(new JobRetry(org, dead));

        // then
        assertThat(fromFailed).isInstanceOfSatisfying(JobRetryResult.Retried.class, r -> {
            assertThat(r.job().id()).isEqualTo(failed);
            assertThat(r.job().state()).isEqualTo("pending");
            assertThat(r.job().retryCount()).isZero();
            assertThat(r.job().updatedAt()).isEqualTo(clock.instant());
        });
        assertThat(fromDead).isInstanceOfSatisfying(JobRetryResult.Retried.class,
                r -> assertThat(r.job().state()).isEqualTo("pending"));
        assertThat(db.count("SELECT count(*) FROM dead_letters WHERE job_id = ?", dead)).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", dead)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", failed)).isEqualTo(1);
    }

    @Test
    void retryingOneJobTellsUnknownFromNotRetryable() {
        // given
        UUID completed = pendingJob(org, "emails", endpoint);
        complete(org, completed);
        UUID pending = pendingJob(org, "emails", endpoint);
        UUID theirs = deadLetteredJob(other, "emails");

        // when
        JobRetryResult ofCompleted = deadLetters.retryJob(new JobRetry(org, completed));
        JobRetryResult ofPending = deadLetters.retryJob(new JobRetry(org, pending));
        JobRetryResult ofTheirs = deadLetters.retryJob(new JobRetry(org, theirs));
        JobRetryResult ofUnknown = deadLetters.retryJob(new JobRetry(org, UUID.randomUUID()));

        // then
        assertThat(ofCompleted).isEqualTo(new JobRetryResult.NotRetryable(JobState.COMPLETED));
        assertThat(ofPending).isEqualTo(new JobRetryResult.NotRetryable(JobState.PENDING));
        assertThat(ofTheirs).isEqualTo(new JobRetryResult.NotFound());
        assertThat(ofUnknown).isEqualTo(new JobRetryResult.NotFound());
        assertThat(jobs.get(org, completed).orElseThrow().state()).isEqualTo("completed");
        assertThat(jobs.get(other, theirs).orElseThrow().state()).isEqualTo("deadletter");
    }

    @Test
    void purgeDeletesTheChosenDeadLetteredJobsWithTheirAttemptsAndIndexRows() {
        // given
        UUID oldEmail = deadLetteredJob(org, "emails");
        UUID oldReport = deadLetteredJob(org, "reports");
        clock.advance(Duration.ofHours(1));
        Instant cut = clock.instant();
        UUID newEmail = deadLetteredJob(org, "emails");
        UUID pending = pendingJob(org, "emails", endpoint);
        UUID theirs = deadLetteredJob(other, "emails");

        // when
        int purged = deadLetters.purge(new DeadLetterPurge(org, "emails", cut, 1_000));

        // then
        assertThat(purged).isEqualTo(1);
        assertThat(jobs.get(org, oldEmail)).isEmpty();
        assertThat(db.count("SELECT count(*) FROM attempts WHERE job_id = ?", oldEmail)).isZero();
        assertThat(db.count("SELECT count(*) FROM dead_letters WHERE job_id = ?", oldEmail)).isZero();
        assertThat(deadLetters.list(new DeadLetterQuery(org, null, 10, 0))).extracting(JobRecord::id)
                .containsExactly(newEmail, oldReport);
        assertThat(jobs.attempts(newEmail)).hasSize(3);
        assertThat(jobs.get(org, pending)).isPresent();
        assertThat(jobs.get(other, theirs)).isPresent();
        assertThat(db.count("SELECT count(*) FROM attempts WHERE job_id = ?", theirs)).isEqualTo(3);
    }

    @Test
    void purgeTakesTheLongestDeadFirstUpToTheLimitAndThenNothingIsLeft() {
        // given
        UUID first = deadLetteredJob(org, "emails");
        UUID second = deadLetteredJob(org, "reports");
        UUID third = deadLetteredJob(org, "emails");

        // when
        int firstPurge = deadLetters.purge(new DeadLetterPurge(org, null, null, 2));

        // then
        assertThat(firstPurge).isEqualTo(2);
        assertThat(jobs.get(org, first)).isEmpty();
        assertThat(jobs.get(org, second)).isEmpty();
        assertThat(jobs.get(org, third)).isPresent();
        assertThat(deadLetters.purge(new DeadLetterPurge(org, null, null, 2))).isEqualTo(1);
        assertThat(deadLetters.purge(new DeadLetterPurge(org, null, null, 2))).isZero();
    }

    @Test
    void purgeFreesTheIdempotencyKeyOfAPurgedJob() {
        // given
        NewJob keyed = new NewJob(ids.next(), org, "emails", "{}", endpoint, 0, 3, null, "order-42", null, null, null);
        jobs.insertBatch(List.of(keyed), TTL);
        deadLetter(org, keyed.id());
        deadLetters.purge(new DeadLetterPurge(org, null, null, 10));

        // when
        NewJob again = new NewJob(ids.next(), org, "emails", "{}", endpoint, 0, 3, null, "order-42", null, null, null);
        InsertedJob inserted = jobs.insertBatch(List.of(again), TTL).getFirst();

        // then
        assertThat(inserted).isEqualTo(new InsertedJob(again.id(), true));
    }

    private UUID pendingJob(UUID organizationId, String queue, UUID endpointId) {
        clock.advance(Duration.ofMillis(1));
        NewJob job = job(ids.next(), organizationId, queue, endpointId, null);
        jobs.insertBatch(List.of(job), TTL);
        // Published long ago: the relay deleted its outbox row, so any row now is a retry's.
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job.id());
        return job.id();
    }

    /** A webhook job that failed three times, the last one dead-lettering it. */
    private UUID deadLetteredJob(UUID organizationId, String queue) {
        UUID job = pendingJob(organizationId, queue, endpoint);
        deadLetter(organizationId, job);
        return job;
    }

    private void deadLetter(UUID organizationId, UUID job) {
        projection.recordAttempts(List.of(attempt(organizationId, job, JobState.PENDING, 1)));
        clock.advance(Duration.ofMillis(5));
        projection.recordAttempts(List.of(attempt(organizationId, job, JobState.PENDING, 2)));
        clock.advance(Duration.ofMillis(5));
        projection.recordAttempts(List.of(attempt(organizationId, job, JobState.DEADLETTER, 3)));
        clock.advance(Duration.ofMillis(5));
    }

    private void complete(UUID organizationId, UUID job) {
        projection.recordAttempts(List.of(new AttemptRecorded(ids.next(), job, organizationId, endpoint,
                clock.instant(), 5, 200, "ok", null, null, JobState.COMPLETED, "worker-1", 1, null, null, false)));
    }

    private AttemptRecorded attempt(UUID organizationId, UUID job, JobState after, int number) {
        Instant started = clock.instant();
        boolean dead = after == JobState.DEADLETTER;
        return new AttemptRecorded(ids.next(), job, organizationId, endpoint, started, 12, 500, "boom",
                "http_status", "HTTP 500 from receiver", after, "worker-1", number,
                dead ? null : started.plusSeconds(5), dead ? "gave up after " + number + " attempts" : null, false);
    }
}
