package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.JobChangeSet;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.sql.PreparedStatement;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Every change of a job's state is recorded by PostgreSQL in the transaction that makes it,
 * whichever store made it, and handed to the publisher in version order; a failed publish keeps
 * the changes for the next claim.
 */
class JobChangeStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final CancellationStore cancellations = new CancellationStore(db.jdbc, db.tx, db.systemEvents(clock), clock);
    private final JobChangeStore changes = new JobChangeStore(db.jdbc, db.tx);
    private final UUID org = db.newOrganization(clock);
    private final UUID endpoint = UUID.randomUUID();

    @Test
    void aJobsLifeIsRecordedChangeByChangeWithRisingVersions() {
        UUID delivered = newJob();
        UUID cancelled = newJob();
        UUID dead = newJob();
        projection.recordAttempts(List.of(attempt(delivered, JobState.PENDING), attempt(delivered, JobState.COMPLETED),
                attempt(dead, JobState.DEADLETTER)));
        cancellations.cancel(org, cancelled);
        // an update that changes no state is not a change
        db.jdbc.update("UPDATE jobs SET priority = 5 WHERE id = ?", delivered);
        db.jdbc.update("DELETE FROM jobs WHERE id = ?", cancelled);

        List<JobStateChanged> published = publishAll();

        assertThat(published).filteredOn(change -> change.jobId().equals(delivered))
                .extracting(JobStateChanged::from, JobStateChanged::to)
                .containsExactly(tuple(null, JobState.PENDING), tuple(JobState.PENDING, JobState.COMPLETED));
        assertThat(published).filteredOn(change -> change.jobId().equals(cancelled))
                .extracting(JobStateChanged::from, JobStateChanged::to)
                .containsExactly(tuple(null, JobState.PENDING), tuple(JobState.PENDING, JobState.CANCELLED),
                        tuple(JobState.CANCELLED, null));
        assertThat(published).filteredOn(change -> change.jobId().equals(dead))
                .extracting(JobStateChanged::to, JobStateChanged::attempts, JobStateChanged::error)
                .containsExactly(tuple(JobState.PENDING, 0, null), tuple(JobState.DEADLETTER, 1, "retries exhausted"));
        assertThat(published).filteredOn(change -> change.organizationId().equals(org))
                .allSatisfy(change -> {
                    assertThat(change.queueName()).isEqualTo("q");
                    assertThat(change.createdAt()).isNotNull();
                    assertThat(change.at()).isNotNull();
                })
                .extracting(JobStateChanged::version).isSorted();
        for (UUID job : List.of(delivered, cancelled, dead)) {
            assertThat(published).filteredOn(change -> change.jobId().equals(job))
                    .extracting(JobStateChanged::version).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void theJobsOfOneStatementShareASetAndItsVersionAThousandJobsAtMost() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            batch.add(StoreTestSupport.job(ids.next(), org, "q", endpoint, null));
        }
        jobs.insertBatch(batch, Duration.ofHours(1));
        Set<UUID> inserted = batch.stream().map(NewJob::id).collect(Collectors.toSet());

        List<JobStateChanged> published = publishAll().stream()
                .filter(change -> inserted.contains(change.jobId())).toList();

        assertThat(published).extracting(JobStateChanged::jobId).doesNotHaveDuplicates().hasSize(1_500);
        assertThat(published).allSatisfy(change -> {
            assertThat(change.from()).isNull();
            assertThat(change.to()).isEqualTo(JobState.PENDING);
            assertThat(change.organizationId()).isEqualTo(org);
        });
        assertThat(published.stream().collect(Collectors.groupingBy(JobStateChanged::version, Collectors.counting())))
                .hasSize(2).containsValues(1_000L, 500L);
    }

    @Test
    void aClaimTakesWholeSetsUntilTheyHoldItsLimit() {
        publishAll();
        List<NewJob> thousand = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            thousand.add(StoreTestSupport.job(ids.next(), org, "q", endpoint, null));
        }
        jobs.insertBatch(thousand, Duration.ofHours(1));
        UUID single = newJob();
        UUID another = newJob();

        List<JobStateChanged> first = new ArrayList<>();
        assertThat(changes.claimAndPublish(10, into(first))).isEqualTo(1_000);
        List<JobStateChanged> second = new ArrayList<>();
        assertThat(changes.claimAndPublish(2, into(second))).isEqualTo(2);

        assertThat(first).extracting(JobStateChanged::jobId)
                .containsExactlyInAnyOrderElementsOf(thousand.stream().map(NewJob::id).toList());
        assertThat(second).extracting(JobStateChanged::jobId).containsExactly(single, another);
        assertThat(changes.claimAndPublish(10, batch -> {
        })).isZero();
    }

    @Test
    void eachChangeSaysWhereItsJobWasAndSinceWhen() {
        UUID job = newJob();
        Instant created = db.jdbc.queryForObject("SELECT updated_at FROM jobs WHERE id = ?", Instant.class, job);
        Instant moved = created.plusSeconds(5);
        Instant raised = created.plusSeconds(9);
        Instant claimed = created.plusSeconds(12);
        db.jdbc.update("UPDATE jobs SET queue_name = 'other', updated_at = ? WHERE id = ?", Timestamp.from(moved), job);
        // re-stamped while pending: the second it waits since moves
        db.jdbc.update("UPDATE jobs SET priority = 9, updated_at = ? WHERE id = ?", Timestamp.from(raised), job);
        db.jdbc.update("UPDATE jobs SET state = 'processing', updated_at = ? WHERE id = ?", Timestamp.from(claimed), job);
        db.jdbc.update("DELETE FROM jobs WHERE id = ?", job);

        assertThat(publishAll()).filteredOn(change -> change.jobId().equals(job))
                .extracting(JobStateChanged::fromQueueName, JobStateChanged::queueName, JobStateChanged::from,
                        JobStateChanged::to, JobStateChanged::fromSince, JobStateChanged::since)
                .containsExactly(
                        tuple(null, "q", null, JobState.PENDING, null, created),
                        tuple("q", "other", JobState.PENDING, JobState.PENDING, created, moved),
                        tuple("other", "other", JobState.PENDING, JobState.PENDING, moved, raised),
                        tuple("other", "other", JobState.PENDING, JobState.PROCESSING, raised, claimed),
                        tuple("other", "other", JobState.PROCESSING, null, claimed, null));
    }

    @Test
    void aJobBackToWaitingAfterAFailedAttemptCarriesItsError() {
        UUID job = newJob();
        db.jdbc.update("UPDATE jobs SET state = 'processing' WHERE id = ?", job);
        db.jdbc.update("UPDATE jobs SET state = 'pending', attempts = 1, last_error = 'worker said no' WHERE id = ?",
                job);

        assertThat(publishAll()).filteredOn(change -> change.jobId().equals(job))
                .extracting(JobStateChanged::from, JobStateChanged::to, JobStateChanged::error)
                .containsExactly(tuple(null, JobState.PENDING, null), tuple(JobState.PENDING, JobState.PROCESSING, null),
                        tuple(JobState.PROCESSING, JobState.PENDING, "worker said no"));
    }

    @Test
    void aFailedPublishLeavesTheChangesForTheNextClaim() {
        UUID job = newJob();

        assertThatThrownBy(() -> changes.claimAndPublish(10_000, batch -> {
            throw new IllegalStateException("broker down");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(publishAll()).filteredOn(change -> change.jobId().equals(job))
                .extracting(JobStateChanged::to).containsExactly(JobState.PENDING);
    }

    /** V28; a later {@code CREATE OR REPLACE} of the trigger's function must set it again. */
    @Test
    void aStatementOfManyJobsIsRecordedWithoutComparingEachOldRowWithEachNewOne() {
        List<UUID> batch = List.of(newJob(), newJob(), newJob());
        List<String> changePlans = db.jdbc.execute((ConnectionCallback<List<String>>) connection -> {
            try (Statement session = connection.createStatement()) {
                // auto_explain reports the plan of every statement a trigger runs, as a notice
                session.execute("LOAD 'auto_explain'");
                session.execute("SET auto_explain.log_min_duration = 0");
                session.execute("SET auto_explain.log_nested_statements = on");
                session.execute("SET auto_explain.log_level = 'notice'");
            }
            // The trigger's plan is made by the first update of the connection, here one of a single row...
            try (Statement single = connection.createStatement()) {
                single.executeUpdate("UPDATE jobs SET state = 'processing' WHERE id = '" + batch.get(0) + "'");
            }
            // ...and kept for the next, of many.
            try (PreparedStatement many = connection.prepareStatement(
                    "UPDATE jobs SET state = 'processing' WHERE id = ANY(?) AND state = 'pending'")) {
                many.setArray(1, connection.createArrayOf("uuid", batch.toArray()));
                assertThat(many.executeUpdate()).isEqualTo(2);
                List<String> plans = new ArrayList<>();
                for (SQLWarning notice = many.getWarnings(); notice != null; notice = notice.getNextWarning()) {
                    if (notice.getMessage().contains("Insert on job_changes")) {
                        plans.add(notice.getMessage());
                    }
                }
                return plans;
            }
        });

        assertThat(changePlans).singleElement().asString().doesNotContain("Nested Loop");
        assertThat(publishAll()).filteredOn(change -> batch.contains(change.jobId()))
                .extracting(JobStateChanged::to).containsOnly(JobState.PENDING, JobState.PROCESSING).hasSize(6);
    }

    private List<JobStateChanged> publishAll() {
        List<JobStateChanged> published = new ArrayList<>();
        while (changes.claimAndPublish(1_000, into(published)) > 0) {
            // other tests' changes are claimed too; each test looks at its own jobs only
        }
        return published;
    }

    /** Publishes into a list: each set's changes, which must all carry the set's version. */
    private static ClaimedBatch.Publisher<JobChangeSet> into(List<JobStateChanged> published) {
        return sets -> sets.forEach(set -> {
            assertThat(set.changes()).extracting(JobStateChanged::version).containsOnly(set.version());
            published.addAll(set.changes());
        });
    }

    private UUID newJob() {
        clock.advance(Duration.ofMillis(1));
        NewJob job = StoreTestSupport.job(ids.next(), org, "q", endpoint, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        return job.id();
    }

    private AttemptRecorded attempt(UUID job, JobState after) {
        boolean ok = after == JobState.COMPLETED;
        boolean retry = after == JobState.PENDING;
        return new AttemptRecorded(ids.next(), job, org, endpoint, clock.instant(), 5, ok ? 200 : 500, "",
                ok ? null : "http_status", ok ? null : "HTTP 500", after, "worker-1", ok ? 2 : 1,
                retry ? clock.instant() : null, after == JobState.DEADLETTER ? "retries exhausted" : null, false);
    }
}
