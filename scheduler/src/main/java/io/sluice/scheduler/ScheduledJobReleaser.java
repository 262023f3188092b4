package io.sluice.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.store.JobStore;
import io.sluice.store.ReleasedJobs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
     * @return jobs released; a full batch is followed by more at once, {@code threads}
     *         transactions at a time, until a batch comes back short
     */
    @Override
    public int runOnce() {
        int first = releaseBatch();
        if (first < properties.batchSize()) {
            return first;
        }
        if (properties.threads() < 2) {
            return first + drain();
        }
        // A backlog (thousands due in the same second): each transaction is bound by one
        // PostgreSQL backend's CPU, so several at once (SKIP LOCKED keeps them apart) use more cores.
        List<Future<Integer>> drains = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(properties.threads(),
                Thread.ofPlatform().name("sluice-scheduled-jobs-drain-", 0).daemon().factory())) {
            for (int i = 0; i < properties.threads(); i++) {
                drains.add(pool.submit(this::drain));
            }
        }
        int released = first;
        for (Future<Integer> drain : drains) {
            try {
                released += drain.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return released;
    }

    /** The next job's time: jobs due in the same second are released as it begins, not up to an interval later. */
    @Override
    Duration untilDue() {
        return jobs.nextScheduledAt().map(at -> Duration.between(clock.instant(), at)).orElse(null);
    }

    /** Releases batch after batch until one comes back short. */
    private int drain() {
        int released = 0;
        for (int n; (n = releaseBatch()) > 0; ) {
            released += n;
            if (n < properties.batchSize()) {
                break;
            }
        }
        return released;
    }

    private int releaseBatch() {
        ReleasedJobs released = jobs.releaseDue(properties.batchSize());
        releasedJobs.increment(released.count());
        released.lateness().forEach(lateness::record);
        return released.count();
    }
}
