package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Leases of external workers' jobs: never two at once, fenced, and given back down the retry path. */
class LeaseStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final LeaseStore leases = new LeaseStore(db.jdbc, db.tx, clock, ids, db.systemEvents(clock),
            RetrySchedule.parse("1s,2s,3s", "1s,2s,3s"));
    private final UUID org = db.newOrganization(clock);
    private final UUID worker = UUID.randomUUID();

    @Test
    void concurrentClaimsOfTheSameJobsNeverShareOne() throws Exception {
        List<UUID> waiting = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            waiting.add(insert());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<LeasedJob>>> claims = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                UUID someWorker = UUID.randomUUID();
                claims.add(pool.submit((Callable<List<LeasedJob>>) () -> leases.lease(org, "reports", waiting, someWorker, LEASE)));
            }
            Set<UUID> leased = new HashSet<>();
            int total = 0;
            for (Future<List<LeasedJob>> claim : claims) {
                for (LeasedJob job : claim.get()) {
                    leased.add(job.id());
                    total++;
                }
            }
            assertThat(total).isEqualTo(200);
            assertThat(leased).containsExactlyInAnyOrderElementsOf(waiting);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeasedJobIsProcessingWithItsLeaseAndComesHighestPriorityFirst() {
        UUID low = insert();
        UUID high = ids.next();
        jobs.insertBatch(List.of(new NewJob(high, org, "reports", "{\"n\":2}", null, 5, 3, null, "report-2", null, null, null)), Duration.ofHours(1));

        List<LeasedJob> leased = leases.lease(org, "reports", List.of(low, high), worker, LEASE);

        assertThat(leased).extracting(LeasedJob::id).containsExactly(high, low);
        assertThat(leased.getFirst().payloadText()).isEqualTo("{\"n\":2}");
        assertThat(leased.getFirst().leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(leased.getFirst().startedAt()).isEqualTo(clock.instant());
        assertThat(leased.getFirst().idempotencyKey()).isEqualTo("report-2");
        JobRecord stored = jobs.get(org, high).orElseThrow();
        assertThat(leased.getFirst().createdAt()).isEqualTo(stored.createdAt());
        assertThat(stored.state()).isEqualTo("processing");
        assertThat(stored.assignedWorkerId()).isEqualTo(worker);
        assertThat(stored.leaseId()).isEqualTo(leased.getFirst().leaseId());
        assertThat(leases.lease(org, "reports", List.of(low, high), UUID.randomUUID(), LEASE)).isEmpty();
    }

    @Test
    void completingIsFencedByTheLeaseOrByTheWorker() {
        UUID id = insert();
        LeasedJob leased = leases.lease(org, "reports", List.of(id), worker, LEASE).getFirst();

        assertThat(leases.complete(org, id, worker, UUID.randomUUID(), null)).isEqualTo(new LeaseOutcome.LeaseExpired());
        assertThat(leases.complete(org, id, UUID.randomUUID(), null, null)).isEqualTo(new LeaseOutcome.NotOwned());
        assertThat(leases.complete(db.newOrganization(clock), id, worker, null, null)).isEqualTo(new LeaseOutcome.NotFound());
        assertThat(leases.complete(org, id, worker, leased.leaseId(), "{\"ok\":true}")).isEqualTo(new LeaseOutcome.Completed());
        assertThat(leases.complete(org, id, worker, leased.leaseId(), null)).isEqualTo(new LeaseOutcome.AlreadyCompleted());
        JobRecord done = jobs.get(org, id).orElseThrow();
        assertThat(done.state()).isEqualTo("completed");
        assertThat(done.result()).isEqualTo("{\"ok\":true}");
        assertThat(done.completedAt()).isEqualTo(clock.instant());
        assertThat(jobs.attempts(id)).singleElement().satisfies(attempt -> {
            assertThat(attempt.id()).as("the attempt is the lease's").isEqualTo(leased.leaseId());
            assertThat(attempt.number()).isEqualTo(1);
            assertThat(attempt.worker()).isEqualTo(worker.toString());
            assertThat(attempt.startedAt()).isEqualTo(leased.leaseExpiresAt().minus(LEASE));
            assertThat(attempt.errorClass()).isNull();
        });
    }

    @Test
    void manyCallsShareOneCommitAndEachSeesWhatTheOnesBeforeItDid() {
        UUID first = insert();
        UUID second = insert();
        UUID third = insert();
        List<LeasedJob> leased = leases.lease(org, "reports", List.of(first, second, third), worker, LEASE);
        UUID secondLease = leased.stream().filter(j -> j.id().equals(second)).findFirst().orElseThrow().leaseId();

        List<LeaseOutcome> outcomes = leases.apply(List.of(
                new LeaseCall.Complete(org, first, worker, null, "{\"n\":1}"),
                new LeaseCall.Complete(org, first, worker, null, null),
                new LeaseCall.Extend(org, second, worker, secondLease, Duration.ofMinutes(5)),
                new LeaseCall.Fail(org, third, worker, null, "boom", false),
                new LeaseCall.Complete(org, third, worker, null, null),
                new LeaseCall.Complete(db.newOrganization(clock), second, worker, null, null)));

        assertThat(outcomes).containsExactly(new LeaseOutcome.Completed(), new LeaseOutcome.AlreadyCompleted(),
                new LeaseOutcome.Extended(clock.instant().plus(Duration.ofMinutes(5))),
                outcomes.get(3), new LeaseOutcome.NotOwned(), new LeaseOutcome.NotFound());
        assertThat(outcomes.get(3)).isInstanceOf(LeaseOutcome.DeadLettered.class);
        assertThat(jobs.get(org, first).orElseThrow().result()).isEqualTo("{\"n\":1}");
        assertThat(jobs.get(org, second).orElseThrow().leaseExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(jobs.get(org, third).orElseThrow().state()).isEqualTo("deadletter");
    }

    @Test
    void eachCompletionOfABatchIsFencedOnItsOwn() {
        List<UUID> ids = List.of(insert(), insert(), insert(), insert(), insert(), insert());
        Map<UUID, LeasedJob> leased = leases.lease(org, "reports", ids.subList(0, 5), worker, LEASE).stream()
                .collect(Collectors.toMap(LeasedJob::id, job -> job));
        UUID expired = ids.get(4);
        clock.advance(Duration.ofSeconds(10));
        assertThat(leases.extend(org, ids.get(0), worker, leased.get(ids.get(0)).leaseId(), LEASE))
                .isInstanceOf(LeaseOutcome.Extended.class);
        assertThat(leases.extend(org, ids.get(1), worker, null, LEASE)).isInstanceOf(LeaseOutcome.Extended.class);
        clock.advance(LEASE.minusSeconds(5)); // the first two were extended, the others run out

        List<LeaseOutcome> outcomes = leases.apply(List.of(
                new LeaseCall.Complete(org, ids.get(0), worker, leased.get(ids.get(0)).leaseId(), null),
                new LeaseCall.Complete(org, ids.get(1), worker, null, "{\"n\":2}"),
                new LeaseCall.Complete(org, ids.get(2), worker, UUID.randomUUID(), null),
                new LeaseCall.Complete(org, ids.get(3), UUID.randomUUID(), null, null),
                new LeaseCall.Complete(org, expired, worker, leased.get(expired).leaseId(), null),
                new LeaseCall.Complete(org, ids.get(5), worker, null, null),
                new LeaseCall.Complete(db.newOrganization(clock), ids.get(2), worker, null, null)));

        assertThat(outcomes).containsExactly(new LeaseOutcome.Completed(), new LeaseOutcome.Completed(),
                new LeaseOutcome.LeaseExpired(), new LeaseOutcome.NotOwned(), new LeaseOutcome.LeaseExpired(),
                new LeaseOutcome.NotOwned(), new LeaseOutcome.NotFound());
        assertThat(jobs.get(org, ids.get(1)).orElseThrow().result()).isEqualTo("{\"n\":2}");
        assertThat(ids.stream().map(id -> jobs.get(org, id).orElseThrow().state()))
                .containsExactly("completed", "completed", "processing", "processing", "processing", "pending");
        assertThat(ids.stream().map(id -> jobs.attempts(id).size())).containsExactly(1, 1, 0, 0, 0, 0);
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheScheduleThenDeadLettered() {
        UUID id = insert(); // max_retries 3
        int[] delays = new int[3];
        for (int retry = 0; retry < 3; retry++) {
            leases.lease(org, "reports", List.of(id), worker, LEASE);
            LeaseOutcome outcome = leases.fail(org, id, worker, null, "boom " + retry, true);
            delays[retry] = (int) ((LeaseOutcome.WillRetry) outcome).delay().toSeconds();
            JobRecord waiting = jobs.get(org, id).orElseThrow();
            assertThat(waiting.state()).isEqualTo("pending");
            assertThat(waiting.retryCount()).isEqualTo(retry + 1);
            assertThat(waiting.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(delays[retry]));
            assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", id)).isEqualTo(retry + 2);
        }
        leases.lease(org, "reports", List.of(id), worker, LEASE);

        LeaseOutcome last = leases.fail(org, id, worker, null, "boom again", true);

        assertThat(delays).containsExactly(1, 2, 3);
        assertThat(last).isInstanceOf(LeaseOutcome.DeadLettered.class);
        assertThat(jobs.get(org, id).orElseThrow().state()).isEqualTo("deadletter");
        assertThat(db.count("SELECT count(*) FROM dead_letters WHERE job_id = ?", id)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM attempts WHERE job_id = ?", id)).isEqualTo(4);
    }

    @Test
    void aJobThatFailedThenCompletedShowsEachAttemptInOrder() {
        UUID id = insert();
        leases.lease(org, "reports", List.of(id), worker, LEASE);
        clock.advance(Duration.ofMillis(200));
        assertThat(leases.fail(org, id, worker, null, "boom", true)).isInstanceOf(LeaseOutcome.WillRetry.class);
        clock.advance(Duration.ofSeconds(5));
        LeasedJob again = leases.lease(org, "reports", List.of(id), worker, LEASE).getFirst();
        clock.advance(Duration.ofMillis(1500));

        assertThat(leases.complete(org, id, worker, again.leaseId(), null)).isEqualTo(new LeaseOutcome.Completed());

        assertThat(jobs.attempts(id))
                .extracting(AttemptRecord::number, AttemptRecord::errorClass, AttemptRecord::error,
                        AttemptRecord::durationMs)
                .containsExactly(tuple(1, "worker_error", "boom", 200L), tuple(2, null, null, 1500L));
    }

    @Test
    void aSuccessAnEarlierReleaseWroteApartIsReadOnce() {
        UUID id = insert();
        LeasedJob leased = leases.lease(org, "reports", List.of(id), worker, LEASE).getFirst();
        leases.complete(org, id, worker, leased.leaseId(), null);
        UUID written = ids.next();
        db.jdbc.update("INSERT INTO attempts (id, job_id, organization_id, started_at, duration_ms, worker)"
                + " VALUES (?, ?, ?, now(), 0, ?)", written, id, org, worker.toString());

        assertThat(jobs.attempts(id)).extracting(AttemptRecord::id).containsExactly(written);
    }

    @Test
    void aFailureWithoutRetryIsDeadLetteredAtOnce() {
        UUID id = insert();
        leases.lease(org, "reports", List.of(id), worker, LEASE);

        assertThat(leases.fail(org, id, worker, null, "bad input", false)).isInstanceOf(LeaseOutcome.DeadLettered.class);
        assertThat(jobs.get(org, id).orElseThrow().state()).isEqualTo("deadletter");
    }

    @Test
    void anExpiredLeaseIsTakenBackAndItsLateCompletionRefused() {
        UUID id = insert();
        LeasedJob leased = leases.lease(org, "reports", List.of(id), worker, LEASE).getFirst();
        assertThat(leases.extend(org, id, worker, leased.leaseId(), Duration.ofSeconds(60)))
                .isEqualTo(new LeaseOutcome.Extended(clock.instant().plusSeconds(60)));

        clock.advance(Duration.ofSeconds(59));
        sweepAll();
        assertThat(jobs.get(org, id).orElseThrow().state()).as("the claim's grant ran out, the extended lease not")
                .isEqualTo("processing");
        clock.advance(Duration.ofSeconds(2));
        assertThat(leases.complete(org, id, worker, leased.leaseId(), null)).isEqualTo(new LeaseOutcome.LeaseExpired());
        sweepAll();
        assertThat(grantsNaming(id)).as("settled grants are dropped").isZero();

        JobRecord back = jobs.get(org, id).orElseThrow();
        assertThat(back.state()).isEqualTo("pending");
        assertThat(back.retryCount()).isEqualTo(1);
        assertThat(back.leaseId()).isNull();
        assertThat(db.count("SELECT count(*) FROM attempts WHERE job_id = ? AND error_class = 'lease_expired'", id))
                .isEqualTo(1);
        assertThat(leases.complete(org, id, worker, leased.leaseId(), null)).isEqualTo(new LeaseOutcome.LeaseExpired());
    }

    @Test
    void aCompletedJobsGrantRunsOutWithoutTakingItBack() {
        UUID done = insert();
        UUID open = insert();
        Map<UUID, LeasedJob> leased = leases.lease(org, "reports", List.of(done, open), worker, LEASE).stream()
                .collect(Collectors.toMap(LeasedJob::id, job -> job));
        assertThat(grantsNaming(done)).as("one grant names both jobs of the claim").isEqualTo(1);
        assertThat(grantsNaming(open)).isEqualTo(1);
        assertThat(leases.complete(org, done, worker, leased.get(done).leaseId(), null))
                .isEqualTo(new LeaseOutcome.Completed());

        clock.advance(LEASE.plusSeconds(1));
        sweepAll();

        assertThat(jobs.get(org, done).orElseThrow().state()).isEqualTo("completed");
        assertThat(jobs.get(org, open).orElseThrow().state()).isEqualTo("pending");
        assertThat(grantsNaming(done)).isZero();
    }

    @Test
    void aWorkerThatLeftHasEveryJobItHeldTakenBack() {
        UUID first = insert();
        UUID second = insert();
        UUID others = insert();
        leases.lease(org, "reports", List.of(first, second), worker, LEASE);
        leases.lease(org, "reports", List.of(others), UUID.randomUUID(), LEASE);

        assertThat(leases.releaseWorker(worker, "the worker deregistered")).isEqualTo(2);
        assertThat(grantsNaming(first)).as("the worker's grants are dropped").isZero();
        assertThat(grantsNaming(others)).isEqualTo(1);

        assertThat(jobs.get(org, first).orElseThrow().state()).isEqualTo("pending");
        assertThat(jobs.get(org, second).orElseThrow().lastError()).isEqualTo("the worker deregistered");
        assertThat(jobs.get(org, others).orElseThrow().state()).isEqualTo("processing");
    }

    @Test
    void aJobPastItsExpiryIsCancelledRatherThanStarted() {
        UUID id = ids.next();
        UUID later = ids.next();
        UUID never = insert();
        jobs.insertBatch(List.of(
                new NewJob(id, org, "reports", "{}", null, 0, 3, null, null, null, clock.instant().plusSeconds(5), null),
                new NewJob(later, org, "reports", "{}", null, 0, 3, null, null, null, clock.instant().plusSeconds(7),
                        null)), Duration.ofHours(1));
        clock.advance(Duration.ofSeconds(6));

        assertThat(leases.lease(org, "reports", List.of(id, later, never), worker, LEASE))
                .extracting(LeasedJob::id).containsExactlyInAnyOrder(later, never);
        assertThat(jobs.get(org, id).orElseThrow().state()).isEqualTo("cancelled");
        assertThat(jobs.get(org, id).orElseThrow().lastError()).isEqualTo("expired before a worker took it");
        assertThat(grantsNaming(id)).isZero();
    }

    /** Settles every grant that ran out, other tests' too (they share the database). */
    private void sweepAll() {
        while (leases.expireLeases(100).grants() == 100) {
            // more may have run out
        }
    }

    private long grantsNaming(UUID jobId) {
        return db.count("SELECT count(*) FROM lease_grants WHERE ? = ANY(job_ids)", jobId);
    }

    private UUID insert() {
        UUID id = ids.next();
        jobs.insertBatch(List.of(job(id, org, "reports", null, null)), Duration.ofHours(1));
        return id;
    }
}
