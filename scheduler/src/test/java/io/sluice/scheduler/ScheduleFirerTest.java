package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the firer works through thousands of schedules due at once (the fires themselves: SchedulesIT). */
class ScheduleFirerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T09:00:00Z"), ZoneOffset.UTC);

    /** Due schedules handed out batch by batch, a job each; the second and third batches must be under way at once. */
    private static final class DueSchedules extends ScheduleStore {

        private final AtomicInteger due;
        private final AtomicInteger calls = new AtomicInteger();
        private final CyclicBarrier twoAtOnce = new CyclicBarrier(2);

        DueSchedules(int due) {
            super(null, null, null, null, null, CLOCK);
            this.due = new AtomicInteger(due);
        }

        @Override
        public Fired fireDue(int limit, Planner planner) {
            int call = calls.incrementAndGet();
            if (call == 2 || call == 3) {
                try {
                    twoAtOnce.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("the two drains did not fire at once", e);
                }
            }
            int left;
            int taken;
            do {
                left = due.get();
                taken = Math.min(limit, left);
            } while (!due.compareAndSet(left, left - taken));
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
        assertThat(store.calls).hasValue(1);
    }
}
