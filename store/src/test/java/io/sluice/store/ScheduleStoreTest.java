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
        assertThat(schedules.get(org, schedule.id()).orElseThrow().nextRunAt()).isEqualTo(next);
        List<ScheduleRun> runs = schedules.history(org, schedule.id(), 10);
        assertThat(runs).extracting(ScheduleRun::fireTime).containsExactly(due);
    }
}
