package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** PartitionStore.ensureDaily and where rows land. */
class PartitionStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final PartitionStore partitions = new PartitionStore(db.jdbc, db.tx);
    private final UUID org = db.newOrganization(clock);

    @Test
    void ensureDailyIsIdempotent() {
        // given
        LocalDate first = unusedDay();
        assertThat(partitions.ensureDaily("jobs", first, 3)).isEqualTo(3);
        assertThat(partitions.ensureDaily("attempts", first, 3)).isEqualTo(3);

        // when
        int jobsAgain = partitions.ensureDaily("jobs", first, 3);
        int attemptsAgain = partitions.ensureDaily("attempts", first, 3);
        int overlapping = partitions.ensureDaily("jobs", first.plusDays(2), 2);

        // then
        assertThat(jobsAgain).isZero();
        assertThat(attemptsAgain).isZero();
        assertThat(overlapping).as("only the one day not created before").isEqualTo(1);
        for (int d = 0; d < 4; d++) {
            assertThat(db.count("SELECT count(*) FROM pg_inherits WHERE inhrelid = to_regclass(?)",
                    "jobs_p" + suffix(first.plusDays(d)))).isEqualTo(1);
        }
    }

    @Test
    void jobPartitionsLeaveRoomOnEachPageForUpdatesInPlace() {
        // given
        LocalDate day = unusedDay();

        // when
        partitions.ensureDaily("jobs", day, 1);
        partitions.ensureDaily("attempts", day, 1);

        // then: HOT updates of a job's state need free space on its page, for each of its jobs
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = ? AND 'fillfactor=50' = ANY(reloptions)",
                "jobs_p" + suffix(day))).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'jobs'::regclass AND NOT ('fillfactor=50' = ANY(coalesce(c.reloptions, '{}')))"))
                .as("partitions made before V29 too").isZero();
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname = ? AND reloptions IS NULL",
                "attempts_p" + suffix(day))).as("attempts are never updated").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'jobs' AND indexdef LIKE '%state%'"))
                .as("no index on jobs covers the state that every attempt changes").isZero();
    }

    @Test
    void ensureDailyRefusesATableThatIsNotPartitioned() {
        assertThatThrownBy(() -> partitions.ensureDaily("outbox", LocalDate.now(clock), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobMintedTodayLandsInTodaysPartition() {
        // given
        NewJob today = job(ids.next(), org, "default", null, null);

        // when
        jobs.insertBatch(List.of(today), Duration.ofHours(1));

        // then
        assertThat(partitionOf("jobs", today.id())).isEqualTo("jobs_p" + suffix(LocalDate.now(clock)));
    }

    @Test
    void aJobWhoseIdFallsOnACreatedDayLandsInThatDaysPartitionUpToItsLastMillisecond() {
        // given
        LocalDate day = unusedDay();
        partitions.ensureDaily("jobs", day, 2);
        Instant midnight = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);

        // when
        clock.set(day.atStartOfDay().toInstant(ZoneOffset.UTC));
        NewJob firstMillisecond = job(ids.next(), org, "default", null, null);
        clock.set(midnight.minusMillis(1));
        NewJob lastMillisecond = job(ids.next(), org, "default", null, null);
        clock.set(midnight);
        NewJob nextDay = job(ids.next(), org, "default", null, null);
        clock.set(midnight.plus(Duration.ofDays(1)));
        NewJob noPartition = job(ids.next(), org, "default", null, null);
        jobs.insertBatch(List.of(firstMillisecond, lastMillisecond, nextDay, noPartition), Duration.ofHours(1));

        // then
        assertThat(partitionOf("jobs", firstMillisecond.id())).isEqualTo("jobs_p" + suffix(day));
        assertThat(partitionOf("jobs", lastMillisecond.id())).isEqualTo("jobs_p" + suffix(day));
        assertThat(partitionOf("jobs", nextDay.id())).isEqualTo("jobs_p" + suffix(day.plusDays(1)));
        assertThat(partitionOf("jobs", noPartition.id())).isEqualTo("jobs_default");
        assertThat(jobs.get(org, lastMillisecond.id())).isPresent();
    }

    @Test
    void anAttemptLandsInThePartitionOfTheDayItsIdWasMinted() {
        // given
        LocalDate day = unusedDay();
        partitions.ensureDaily("attempts", day, 1);
        clock.set(day.atTime(13, 45).toInstant(ZoneOffset.UTC));
        NewJob job = job(ids.next(), org, "default", null, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        AttemptRecorded attempt = new AttemptRecorded(ids.next(), job.id(), org, null, clock.instant(), 12, 204,
                "", null, null, JobState.COMPLETED, "worker-1", 1, null, null, false);

        // when
        new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock)).recordAttempts(List.of(attempt));

        // then
        assertThat(partitionOf("attempts", attempt.attemptId())).isEqualTo("attempts_p" + suffix(day));
    }

    @Test
    void retentionDropsAnOldDayButKeepsItsDeadLetteredAndUnfinishedJobsWithTheirAttempts() {
        // given: an old day with a completed, a cancelled, a dead-lettered and a pending job, each attempted once
        LocalDate day = LocalDate.of(1971, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(0, 18_000));
        partitions.ensureDaily("jobs", day, 1);
        partitions.ensureDaily("attempts", day, 1);
        clock.set(day.atTime(10, 0).toInstant(ZoneOffset.UTC));
        java.util.Map<String, UUID> byState = new java.util.LinkedHashMap<>();
        for (String state : List.of("completed", "cancelled", "deadletter", "pending")) {
            NewJob job = job(ids.next(), org, "old", null, null);
            jobs.insertBatch(List.of(job), Duration.ofHours(1));
            db.jdbc.update("UPDATE jobs SET state = ? WHERE id = ?", state, job.id());
            db.jdbc.update("INSERT INTO attempts (id, job_id, organization_id, started_at, duration_ms, status_code)"
                    + " VALUES (?, ?, ?, ?, 5, 500)", ids.next(), job.id(), org, java.sql.Timestamp.from(clock.instant()));
            byState.put(state, job.id());
        }

        // when
        int dropped = partitions.dropDaysBefore(day.plusDays(1));

        // then: the day's partitions are gone, and only the jobs that must outlive them remain, with their attempts
        assertThat(dropped).isGreaterThanOrEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname IN (?, ?)",
                "jobs_p" + suffix(day), "attempts_p" + suffix(day))).isZero();
        assertThat(jobs.get(org, byState.get("completed"))).isEmpty();
        assertThat(jobs.get(org, byState.get("cancelled"))).isEmpty();
        assertThat(jobs.get(org, byState.get("deadletter")).orElseThrow().state()).isEqualTo("deadletter");
        assertThat(jobs.get(org, byState.get("pending")).orElseThrow().state()).isEqualTo("pending");
        assertThat(jobs.attempts(byState.get("deadletter"))).hasSize(1);
        assertThat(jobs.attempts(byState.get("pending"))).hasSize(1);
        assertThat(jobs.attempts(byState.get("completed"))).isEmpty();
        assertThat(partitionOf("jobs", byState.get("deadletter"))).isEqualTo("jobs_default");
        // and the readers of job changes (the live stats) are told which jobs are gone
        assertThat(db.jdbc.queryForList("""
                SELECT c.job_id FROM job_changes, unnest(job_ids, organization_ids, new_states) AS c(job_id, org, state)
                WHERE c.org = ? AND c.state IS NULL""", UUID.class, org)).containsExactlyInAnyOrder(byState.get("completed"), byState.get("cancelled"));
    }

    private String partitionOf(String table, UUID id) {
        return db.jdbc.queryForObject("SELECT tableoid::regclass::text FROM " + table + " WHERE id = ?",
                String.class, id);
    }

    /** A random day far ahead, so repeated runs against one database never meet an existing partition. */
    private static LocalDate unusedDay() {
        return LocalDate.of(2300, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(0, 300_000));
    }

    private static String suffix(LocalDate day) {
        return day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
