package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.job.Uuid7;
import io.sluice.core.schedule.FirePlan;
import io.sluice.core.schedule.MisfirePolicy;
import io.sluice.core.schedule.OverlapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * ScheduleStore's firing, on a PostgreSQL session whose time zone is not UTC
 * ({@link StoreTestSupport#SESSION_ZONE}): the times it writes are the instants planned, not
 * shifted by the session's offset.
 */
class ScheduleStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ScheduleStore schedules = new ScheduleStore(db.jdbc, db.tx, jobs, db.systemEvents(clock), ids, clock);
    private final UUID org = db.newOrganization(clock);

    @Test
    void aFireRecordsItsRunAndTheNextOccurrenceAtTheInstantsPlanned() {
        // given: a schedule due a second ago
        Instant due = clock.instant().minusSeconds(1);
        Instant next = due.plus(Duration.ofMinutes(1));
        Instant now = clock.instant();
        Schedule schedule = new Schedule(ids.next(), org, "every minute", null, "* * * * *", "UTC", "reports", null,
                "{}", 0, null, null, null, null, MisfirePolicy.SKIP, OverlapPolicy.ALLOW, true, due, null, null, 0,
                now, now);
        schedules.create(schedule);

        // when
        schedules.fireDue(100, (s, at) -> s.id().equals(schedule.id())
                ? new FirePlan(List.of(due), 0, Optional.of(next))
                : new FirePlan(List.of(), 0, Optional.ofNullable(s.nextRunAt())));

        // then
        Schedule fired = schedules.get(org, schedule.id()).orElseThrow();
        assertThat(fired.nextRunAt()).isEqualTo(next);
        List<ScheduleRun> runs = schedules.history(org, schedule.id(), 10);
        assertThat(runs).extracting(ScheduleRun::fireTime).containsExactly(due);
        assertThat(fired.runCount()).isEqualTo(1);
        assertThat(fired.lastRunAt()).isEqualTo(now);
        assertThat(fired.lastJobId()).isNotNull().isEqualTo(runs.getFirst().jobId());
    }

    @Test
    void theNextDueOccurrenceIsTheEarliestThatAnActiveScheduleWaitsFor() {
        // given: an active schedule waiting since long ago, and a paused one since longer
        Instant longAgo = clock.instant().minus(Duration.ofDays(3650));
        Schedule waiting = everyMinute("waiting", true, longAgo);
        Schedule paused = everyMinute("paused", false, longAgo.minus(Duration.ofDays(365)));
        schedules.create(waiting);
        schedules.create(paused);
        try {
            // then: the paused one is not waited for
            assertThat(schedules.nextDue()).contains(longAgo);
        } finally {
            schedules.delete(org, waiting.id());
            schedules.delete(org, paused.id());
        }
    }

    private Schedule everyMinute(String name, boolean active, Instant nextRunAt) {
        Instant now = clock.instant();
        return new Schedule(ids.next(), org, name, null, "* * * * *", "UTC", "reports", null, "{}", 0, null, null,
                null, null, MisfirePolicy.SKIP, OverlapPolicy.ALLOW, active, nextRunAt, null, null, 0, now, now);
    }
}
