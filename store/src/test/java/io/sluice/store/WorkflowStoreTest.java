package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.workflow.DependencyMode;
import io.sluice.core.workflow.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Workflows and dependencies on a real PostgreSQL: jobs wait, {@code scheduled}, until the
 * transaction that ends their dependencies releases or cancels them. Dependencies end the way
 * production ends them: attempts recorded by the projector, a user's cancel.
 */
class WorkflowStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final SystemEventStore systemEvents = db.systemEvents(clock);
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, systemEvents);
    private final DeadLetterStore deadLetters = new DeadLetterStore(db.jdbc, db.tx, clock);
    private final WorkflowStore workflows = new WorkflowStore(db.jdbc, db.tx, jobs, deadLetters, systemEvents, clock);
    private final DependencyStore dependencies = new DependencyStore(db.jdbc, db.tx, systemEvents, clock);
    private final CancellationStore cancellations = new CancellationStore(db.jdbc, db.tx, systemEvents, clock);
    private final UUID org = db.newOrganization(clock);
    private final UUID endpoint = UUID.randomUUID();

    @Test
    void aDiamondInModeAllRunsEachJobOnceAllItsDependenciesCompleted() {
        // given: a -> b, c -> d
        Map<String, UUID> job = create(DependencyMode.ALL, "a", "b:a", "c:a", "d:b,c");
        assertThat(states(job)).containsExactly("pending", "scheduled", "scheduled", "scheduled");
        assertThat(inOutbox(job)).containsExactly(true, false, false, false);
        assertThat(workflow(job).status()).isEqualTo(WorkflowStatus.PENDING);

        // when / then
        complete(job.get("a"));
        assertThat(states(job)).containsExactly("completed", "pending", "pending", "scheduled");
        assertThat(inOutbox(job)).containsExactly(false, true, true, false);
        assertThat(workflow(job).status()).isEqualTo(WorkflowStatus.RUNNING);

        complete(job.get("b"));
        assertThat(state(job.get("d"))).isEqualTo("scheduled");

        complete(job.get("c"));
        assertThat(state(job.get("d"))).isEqualTo("pending");
        assertThat(inOutbox(job).getLast()).isTrue();

        complete(job.get("d"));
        Workflow done = workflow(job);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(done.progress().percentComplete()).isEqualTo(100);
        assertThat(done.completedAt()).isNotNull();
    }

    @Test
    void aDeadLetteredDependencyCancelsItsDescendantsTransitivelyAndARetryRunsThemAgain() {
        // given: a -> b -> c, and e beside them
        Map<String, UUID> job = create(DependencyMode.ALL, "a", "b:a", "c:b", "e");
        complete(job.get("e"));

        // when
        deadLetter(job.get("a"));

        // then
        assertThat(states(job)).containsExactly("deadletter", "cancelled", "cancelled", "completed");
        assertThat(jobs.get(org, job.get("c")).orElseThrow().lastError()).isEqualTo("a dependency did not complete");
        Workflow failed = workflow(job);
        assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failed.progress().failed()).isEqualTo(3);

        // when: retried
        WorkflowRetry retry = workflows.retry(org, failed.id());

        // then: a runs again, b and c wait for it again, e is not run again
        assertThat(retry).isEqualTo(new WorkflowRetry.Retried(1, 2));
        assertThat(states(job)).containsExactly("pending", "scheduled", "scheduled", "completed");
        assertThat(inOutbox(job)).containsExactly(true, false, false, false);
        assertThat(workflows.retry(org, failed.id())).isEqualTo(new WorkflowRetry.NotFailed(WorkflowStatus.RUNNING));
        complete(job.get("a"));
        complete(job.get("b"));
        complete(job.get("c"));
        assertThat(workflow(job).status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void inModeAnyTheFirstCompletionReleasesAndOnlyTheFailureOfAllCancels() {
        Map<String, UUID> first = create(DependencyMode.ANY, "a", "b", "c:a,b");
        deadLetter(first.get("a"));
        assertThat(state(first.get("c"))).isEqualTo("scheduled");
        complete(first.get("b"));
        assertThat(state(first.get("c"))).isEqualTo("pending");
        complete(first.get("c"));
        assertThat(workflow(first).status()).as("a failure its dependant got past").isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(workflow(first).progress().failed()).isEqualTo(1);
        assertThat(workflow(first).progress().percentComplete()).isEqualTo(100);

        Map<String, UUID> second = create(DependencyMode.ANY, "a", "b", "c:a,b");
        deadLetter(second.get("a"));
        deadLetter(second.get("b"));
        assertThat(state(second.get("c"))).isEqualTo("cancelled");
        assertThat(workflow(second).status()).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void aFailureSomeDependantCouldNotGetPastFailsTheWorkflowThoughAnotherWentAhead() {
        // d needs a or b; e needs a (any of one: a itself)
        Map<String, UUID> job = create(DependencyMode.ANY, "a", "b", "d:a,b", "e:a");
        deadLetter(job.get("a"));
        complete(job.get("b"));
        complete(job.get("d"));

        assertThat(state(job.get("e"))).isEqualTo("cancelled");
        assertThat(workflow(job).status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(workflow(job).progress().failed()).as("a, and e that it cancelled").isEqualTo(2);
    }

    @Test
    void aUserCancellingAJobCancelsWhatWaitsForItInModeAll() {
        Map<String, UUID> job = create(DependencyMode.ALL, "a", "b:a", "c:b");

        cancellations.cancel(org, job.get("a"));

        assertThat(states(job)).containsExactly("cancelled", "cancelled", "cancelled");
        assertThat(workflow(job).status()).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void aWorkflowThatIsNotADagIsRefusedAndNothingIsWritten() {
        long before = db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org);

        assertThatThrownBy(() -> create(DependencyMode.ALL, "a:c", "b:a", "c:b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");

        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM workflows WHERE organization_id = ?", org)).isZero();
    }

    @Test
    void twoDependenciesEndingAtOnceInTwoTransactionsReleaseTheirJob() throws Exception {
        // Each pair completes in two transactions that commit together: neither may miss the other's.
        List<Map<String, UUID>> diamonds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            diamonds.add(create(DependencyMode.ALL, "b", "c", "d:b,c"));
        }
        for (Map<String, UUID> job : diamonds) {
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> completeAfter(together, job.get("b")));
            CompletableFuture<Void> c = CompletableFuture.runAsync(() -> completeAfter(together, job.get("c")));
            CompletableFuture.allOf(b, c).join();
        }
        for (Map<String, UUID> job : diamonds) {
            assertThat(state(job.get("d"))).isEqualTo("pending");
            assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", job.get("d"))).isEqualTo(1);
        }
    }

    @Test
    void aDependencyAddedToAPendingJobHoldsItUntilTheDependencyCompletes() {
        // given: two webhook jobs still in the outbox
        UUID first = pendingJob();
        UUID second = pendingJob();

        // when
        DependencyAddition added = dependencies.add(org, second, List.of(first), null);

        // then
        assertThat(added).isEqualTo(new DependencyAddition.Added(1, List.of(first), "all", false));
        assertThat(state(second)).isEqualTo("scheduled");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", second)).isZero();
        complete(first);
        assertThat(state(second)).isEqualTo("pending");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", second)).isEqualTo(1);
        JobDependencies view = dependencies.of(org, second).orElseThrow();
        assertThat(view.dependenciesMet()).isTrue();
        assertThat(view.dependencies()).extracting(JobDependencies.Related::jobId).containsExactly(first);
        assertThat(dependencies.of(org, first).orElseThrow().dependents())
                .extracting(JobDependencies.Related::jobId).containsExactly(second);
    }

    @Test
    void aDependencyThatWouldCloseACycleIsRefused() {
        UUID a = pendingJob();
        UUID b = pendingJob();
        UUID c = pendingJob();
        dependencies.add(org, b, List.of(a), null);
        dependencies.add(org, c, List.of(b), null);

        assertThat(dependencies.add(org, a, List.of(c), null)).isEqualTo(new DependencyAddition.WouldCycle(c));
        assertThat(dependencies.add(org, a, List.of(a), null)).isEqualTo(new DependencyAddition.WouldCycle(a));
        assertThat(state(a)).isEqualTo("pending");
    }

    @Test
    void dependenciesAreRefusedOnceAJobWasHandedToDeliveryOrWhenTheyAreNotTheOrganizations() {
        UUID relayed = pendingJob();
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", relayed);
        UUID dependency = pendingJob();
        UUID stranger = UUID.randomUUID();

        assertThat(dependencies.add(org, relayed, List.of(dependency), null))
                .isEqualTo(new DependencyAddition.AlreadyStarted(JobState.PENDING));
        assertThat(dependencies.add(org, dependency, List.of(stranger), null))
                .isEqualTo(new DependencyAddition.UnknownDependencies(List.of(stranger)));
        assertThat(dependencies.add(org, stranger, List.of(dependency), null))
                .isEqualTo(new DependencyAddition.JobNotFound());
    }

    @Test
    void aDelayedJobWithDependenciesWaitsForBothItsTimeAndThem() {
        UUID dependency = pendingJob();
        NewJob later = new NewJob(ids.next(), org, "q", "{}", endpoint, 0, 3, null, null, null, null, null,
                clock.instant().plusSeconds(60));
        jobs.insertBatch(List.of(later), Duration.ofHours(1));
        dependencies.add(org, later.id(), List.of(dependency), DependencyMode.ALL);

        clock.advance(Duration.ofSeconds(61));
        jobs.releaseDue(100);
        assertThat(state(later.id())).isEqualTo("scheduled");

        complete(dependency);
        assertThat(state(later.id())).isEqualTo("pending");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", later.id())).isEqualTo(1);
    }

    @Test
    void aCancelledWorkflowCancelsEveryJobNotStartedInOneGoAsTheUsers() {
        // given: a has started (its delivery left), b waits for a, c waits in the outbox
        Map<String, UUID> job = create(DependencyMode.ALL, "a", "b:a", "c");
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job.get("a"));
        UUID id = workflow(job).id();

        // when
        WorkflowCancel cancel = workflows.cancel(org, id);

        // then: a's delivery must be stopped in Kafka; none counts as failed by a dependency
        assertThat(cancel).isEqualTo(new WorkflowCancel.Cancelled(List.of(job.get("a"))));
        assertThat(states(job)).containsOnly("cancelled");
        assertThat(inOutbox(job)).containsOnly(false);
        Workflow cancelled = workflows.find(org, id).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(cancelled.progress().cancelled()).isEqualTo(3);
        assertThat(workflows.cancel(org, id)).isEqualTo(new WorkflowCancel.Cancelled(List.of()));
    }

    @Test
    void aCompletedWorkflowCannotBeCancelled() {
        Map<String, UUID> job = create(DependencyMode.ALL, "a");
        complete(job.get("a"));

        assertThat(workflows.cancel(org, workflow(job).id()))
                .isEqualTo(new WorkflowCancel.Ended(WorkflowStatus.COMPLETED));
    }

    @Test
    void retentionForgetsAWorkflowOnceNoneOfItsJobsRemainsAndKeepsOneWithAJobLeft() {
        // given: two workflows whose days of jobs were dropped, but for one dead-lettered job
        Map<String, UUID> gone = create(DependencyMode.ALL, "a", "b:a");
        Map<String, UUID> kept = create(DependencyMode.ALL, "a", "b:a");
        deadLetter(kept.get("a"));
        UUID goneWorkflow = workflow(gone).id();
        UUID keptWorkflow = workflow(kept).id();
        db.jdbc.update("DELETE FROM jobs WHERE id IN (?, ?, ?)", gone.get("a"), gone.get("b"), kept.get("b"));

        // when
        workflows.forgetBefore(clock.instant().plusSeconds(1));

        // then
        assertThat(workflows.find(org, goneWorkflow)).isEmpty();
        assertThat(db.count("SELECT count(*) FROM workflow_jobs WHERE workflow_id = ?", goneWorkflow)).isZero();
        assertThat(db.count("SELECT count(*) FROM dependent_jobs WHERE job_id IN (?, ?)", gone.get("b"),
                kept.get("b"))).isZero();
        assertThat(workflows.find(org, keptWorkflow).orElseThrow().progress().total()).isEqualTo(1);
    }

    /** Specs like {@code "d:b,c"}: key d, depending on b and c. */
    private Map<String, UUID> create(DependencyMode mode, String... specs) {
        Map<String, UUID> byKey = new LinkedHashMap<>();
        List<NewWorkflow.Member> members = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split(":");
            clock.advance(Duration.ofMillis(1));
            NewJob job = StoreTestSupport.job(ids.next(), org, "q", endpoint, null);
            byKey.put(parts[0], job.id());
            members.add(new NewWorkflow.Member(parts[0], job,
                    parts.length == 1 ? List.of() : List.of(parts[1].split(",")), mode));
        }
        workflows.create(new NewWorkflow(ids.next(), org, "wf", null, null, members));
        return byKey;
    }

    private Workflow workflow(Map<String, UUID> job) {
        UUID id = db.jdbc.queryForObject("SELECT workflow_id FROM workflow_jobs WHERE job_id = ?", UUID.class,
                job.values().iterator().next());
        return workflows.find(org, id).orElseThrow();
    }

    private UUID pendingJob() {
        clock.advance(Duration.ofMillis(1));
        NewJob job = StoreTestSupport.job(ids.next(), org, "q", endpoint, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        return job.id();
    }

    private String state(UUID job) {
        return jobs.get(org, job).orElseThrow().state();
    }

    private List<String> states(Map<String, UUID> job) {
        return job.values().stream().map(this::state).toList();
    }

    private List<Boolean> inOutbox(Map<String, UUID> job) {
        return job.values().stream()
                .map(id -> db.count("SELECT count(*) FROM outbox WHERE job_id = ?", id) > 0).toList();
    }

    private void completeAfter(CyclicBarrier together, UUID job) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        complete(job);
    }

    /** The relay published it (taking its outbox row), and its receiver answered 200. */
    private void complete(UUID job) {
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job);
        projection.recordAttempts(List.of(new AttemptRecorded(ids.next(), job, org, endpoint, clock.instant(), 5, 200,
                "ok", null, null, JobState.COMPLETED, "worker-1", 1, null, null, false)));
    }

    private void deadLetter(UUID job) {
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job);
        Instant started = clock.instant();
        projection.recordAttempts(List.of(new AttemptRecorded(ids.next(), job, org, endpoint, started, 12, 500, "boom",
                "http_status", "HTTP 500 from receiver", JobState.DEADLETTER, "worker-1", 1, null, "gave up", false)));
    }
}
