package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** How the firer works through thousands of schedules due at once (the fires themselves: SchedulesIT). */
class ScheduleFirerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T09:00:00Z"), ZoneOffset.UTC);

    /** Due schedules handed out batch by batch, a job each; the second and third batches must be under way at once. */
    private static final class DueSchedules extends ScheduleStore {

        private final Backlog due;

        DueSchedules(int due) {
            super(null, null, null, null, null, CLOCK);
            this.due = new Backlog(due, 2);
        }

        @Override
        public Fired fireDue(int limit, Planner planner) {
            int taken = due.take(limit, true);
            return new Fired(taken, taken);
        }
    }

    @Test
    void aBacklogIsFiredByTwoTransactionsAtOnceUntilABatchComesBackShort() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DueSchedules store = new DueSchedules(23);
        ScheduleFirer firer = new ScheduleFirer(store,
                new SchedulesProperties(true, Duration.ofMillis(250), 5, 2, Duration.ofSeconds(60), 100), CLOCK, meters);

        assertThat(firer.runOnce()).isEqualTo(23);
        assertThat(meters.counter("sluice.schedules.fired.jobs").count()).isEqualTo(23);
    }

    @Test
    void aShortFirstBatchIsTheWholeRun() {
        DueSchedules store = new DueSchedules(3);
        ScheduleFirer firer = new ScheduleFirer(store,
                new SchedulesProperties(true, Duration.ofMillis(250), 5, 2, Duration.ofSeconds(60), 100), CLOCK,
                new SimpleMeterRegistry());

        assertThat(firer.runOnce()).isEqualTo(3);
        assertThat(store.due.takes()).isEqualTo(1);
    }
}
