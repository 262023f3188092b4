package io.sluice.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.store.DueRange;
import io.sluice.store.JobStore;
import io.sluice.store.ReleasedJobs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.springframework.stereotype.Component;

/**
 * Releases jobs accepted with a future {@code scheduled_at} once it has come: they become
 * pending and go through the outbox like any new job (to their endpoint, or to external workers).
 */
@Component
public class ScheduledJobReleaser extends PeriodicTask {

    private final JobStore jobs;
    private final ScheduledJobsProperties properties;
    private final Clock clock;
    private final Counter releasedJobs;
    private final Timer lateness;

    public ScheduledJobReleaser(JobStore jobs, ScheduledJobsProperties properties, Clock clock, MeterRegistry meters) {
        super("sluice-scheduled-jobs", properties.enabled(), properties.interval());
        this.jobs = jobs;
        this.properties = properties;
        this.clock = clock;
        this.releasedJobs = meters.counter("sluice.scheduled.jobs.released");
        this.lateness = Timer.builder("sluice.scheduled.jobs.lateness")
                .description("how long after its scheduled_at each delayed job was released")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /**
     * @return jobs released: a backlog (more than a batch due) in ranges, {@code threads}
     *         transactions at a time, until fewer than a batch are left
     */
    @Override
    public int runOnce() {
        if (properties.threads() < 2) {
            return drain();
        }
        List<DueRange> ranges = jobs.splitDue(properties.batchSize(), properties.threads() * 4);
        if (ranges.size() == 1) {
            return releaseBatch(DueRange.ALL);
        }
        // A backlog (thousands due in the same second): transactions side by side, each on a
        // range of its own, so none walks past the rows the others hold; four ranges a thread,
        // as a pass waits for its slowest range before the next split.
        int released = 0;
        try (ExecutorService pool = sideBySide("sluice-scheduled-jobs-drain", properties.threads())) {
            int pass;
            do {
                pass = releaseSideBySide(pool, ranges);
                released += pass;
                ranges = jobs.splitDue(properties.batchSize(), properties.threads() * 4);
            } while (ranges.size() > 1 && pass > 0 && !Thread.currentThread().isInterrupted());
            // else fewer than a batch are left, or another node holds them
        }
        return released + releaseBatch(DueRange.ALL);
    }

    /** Releases the ranges on the pool, a transaction each; returns how many jobs were released. */
    private int releaseSideBySide(ExecutorService pool, List<DueRange> ranges) {
        List<Future<Integer>> batches = new ArrayList<>();
        for (DueRange range : ranges) {
            batches.add(pool.submit(() -> releaseBatch(range)));
        }
        return total(batches);
    }

    /** The next job's time: jobs due in the same second are released as it begins, not up to an interval later. */
    @Override
    Duration untilDue() {
        return jobs.nextScheduledAt().map(at -> Duration.between(clock.instant(), at)).orElse(null);
    }

    /** Releases batch after batch until one comes back short. */
    private int drain() {
        int released = 0;
        for (int n; (n = releaseBatch(DueRange.ALL)) > 0; ) {
            released += n;
            if (n < properties.batchSize()) {
                break;
            }
        }
        return released;
    }

    private int releaseBatch(DueRange range) {
        ReleasedJobs released = jobs.releaseDue(range, properties.batchSize());
        releasedJobs.increment(released.count());
        released.lateness().forEach(lateness::record);
        return released.count();
    }
}
