package io.sluice.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.schedule.CronExpression;
import io.sluice.core.schedule.FirePlan;
import io.sluice.store.Schedule;
import io.sluice.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.springframework.stereotype.Component;

/**
 * Fires due cron schedules: each occurrence becomes a job, written with the schedule's next
 * occurrence in one transaction and sent on by the outbox like any new job. Which occurrences
 * fire is {@link FirePlan}'s decision (misfire policy); that none fires twice is the store's.
 */
@Component
public class ScheduleFirer extends PeriodicTask {

    private static final int MAX_PARSED = 10_000;

    private final ScheduleStore schedules;
    private final SchedulesProperties properties;
    private final Clock clock;
    private final Counter firedJobs;
    private final Map<String, CronExpression> parsed = new ConcurrentHashMap<>();

    public ScheduleFirer(ScheduleStore schedules, SchedulesProperties properties, Clock clock, MeterRegistry meters) {
        super("sluice-schedules", properties.enabled(), properties.interval());
        this.schedules = schedules;
        this.properties = properties;
        this.clock = clock;
        this.firedJobs = meters.counter("sluice.schedules.fired.jobs");
    }

    /** Parsed expressions: thousands of schedules often share a few. Bounded by starting afresh. */
    private CronExpression cron(String text) {
        if (parsed.size() > MAX_PARSED) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(text, CronExpression::parse);
    }

    /**
     * @return jobs created; a full batch of schedules is followed by more at once, {@code threads}
     *         transactions at a time, until a batch comes back short
     */
    @Override
    public int runOnce() {
        ScheduleStore.Fired first = fireBatch();
        if (first.schedules() < properties.batchSize()) {
            return first.jobs();
        }
        if (properties.threads() < 2) {
            return first.jobs() + drain();
        }
        // Thousands due at the same second: transactions side by side (SKIP LOCKED keeps them
        // apart) fire them sooner than one after another.
        List<Future<Integer>> drains = new ArrayList<>();
        try (ExecutorService pool = sideBySide("sluice-schedules-drain", properties.threads())) {
            for (int i = 0; i < properties.threads(); i++) {
                drains.add(pool.submit(this::drain));
            }
        }
        return first.jobs() + total(drains);
    }

    /** Fires batch after batch until one comes back short; returns the jobs created. */
    private int drain() {
        int created = 0;
        ScheduleStore.Fired fired;
        do {
            fired = fireBatch();
            created += fired.jobs();
        } while (fired.schedules() == properties.batchSize());
        return created;
    }

    private ScheduleStore.Fired fireBatch() {
        ScheduleStore.Fired fired = schedules.fireDue(properties.batchSize(), this::plan);
        firedJobs.increment(fired.jobs());
        return fired;
    }

    /** The next occurrence's time: a schedule fires as its second begins, not up to an interval later. */
    @Override
    Duration untilDue() {
        return schedules.nextDue().map(at -> Duration.between(clock.instant(), at)).orElse(null);
    }

    private FirePlan plan(Schedule schedule, Instant now) {
        return FirePlan.of(cron(schedule.cronExpression()), ZoneId.of(schedule.timezone()),
                schedule.nextRunAt(), now, schedule.misfirePolicy(), properties.misfireGrace(),
                properties.catchUpLimit());
    }
}
