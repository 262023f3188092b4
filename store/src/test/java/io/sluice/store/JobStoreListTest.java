package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** JobStore.list and get: ordering, filters and the organization boundary. */
class JobStoreListTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final UUID org = db.newOrganization(clock);

    @Test
    void listIsNewestFirstAndPagesWithLimitAndOffset() {
        // given: one job per millisecond, so their ids order them; inserted out of order
        NewJob oldest = nextJob("default");
        NewJob middle = nextJob("default");
        NewJob newest = nextJob("default");
        jobs.insertBatch(List.of(middle, newest), Duration.ofHours(1));
        jobs.insertBatch(List.of(oldest), Duration.ofHours(1));

        // when
        List<JobRecord> all = jobs.list(new JobQuery(org, null, null, null, 10, 0));
        List<JobRecord> secondPage = jobs.list(new JobQuery(org, null, null, null, 2, 2));

        // then
        assertThat(all).extracting(JobRecord::id).containsExactly(newest.id(), middle.id(), oldest.id());
        assertThat(secondPage).extracting(JobRecord::id).containsExactly(oldest.id());
    }

    @Test
    void listFiltersByQueueAndByState() {
        // given
        NewJob emailPending = nextJob("emails");
        NewJob emailCompleted = nextJob("emails");
        NewJob reportPending = nextJob("reports");
        NewJob reportCompleted = nextJob("reports");
        jobs.insertBatch(List.of(emailPending, emailCompleted, reportPending, reportCompleted), Duration.ofHours(1));
        complete(emailCompleted.id());
        complete(reportCompleted.id());

        // when
        List<JobRecord> emails = jobs.list(new JobQuery(org, "emails", null, null, 10, 0));
        List<JobRecord> completed = jobs.list(new JobQuery(org, null, null, "completed", 10, 0));
        List<JobRecord> pendingReports = jobs.list(new JobQuery(org, "reports", null, "pending", 10, 0));

        // then
        assertThat(emails).extracting(JobRecord::id).containsExactly(emailCompleted.id(), emailPending.id());
        assertThat(completed).extracting(JobRecord::id).containsExactly(reportCompleted.id(), emailCompleted.id());
        assertThat(pendingReports).extracting(JobRecord::id).containsExactly(reportPending.id());
        assertThat(jobs.list(new JobQuery(org, "nothing-here", null, null, 10, 0))).isEmpty();
    }

    @Test
    void neitherGetNorListShowAnotherOrganizationsJobs() {
        // given
        UUID other = db.newOrganization(clock);
        NewJob ours = nextJob("default");
        NewJob theirs = job(ids.next(), other, "default", null, null);
        jobs.insertBatch(List.of(ours, theirs), Duration.ofHours(1));

        // when
        var crossGet = jobs.get(org, theirs.id());
        List<JobRecord> listed = jobs.list(new JobQuery(org, null, null, null, 100, 0));

        // then
        assertThat(crossGet).isEmpty();
        assertThat(jobs.get(other, theirs.id())).isPresent();
        assertThat(listed).extracting(JobRecord::id).containsExactly(ours.id());
    }

    private NewJob nextJob(String queue) {
        clock.advance(Duration.ofMillis(1));
        return job(ids.next(), org, queue, null, null);
    }

    private void complete(UUID job) {
        new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock)).recordAttempts(List.of(new AttemptRecorded(ids.next(), job, org,
                null, clock.instant(), 5, 200, "ok", null, null, JobState.COMPLETED, "worker-1", 1, null, null, false)));
    }
}
