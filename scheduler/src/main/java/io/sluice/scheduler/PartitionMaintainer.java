package io.sluice.scheduler;

import io.sluice.store.PartitionStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps daily partitions of {@code jobs} and {@code attempts} created a week ahead. The
 * first run happens at start, before the API accepts jobs; then hourly.
 */
@Component
public class PartitionMaintainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintainer.class);
    /** A week ahead survives a long outage of every scheduler; yesterday covers clock skew. */
    private static final int DAYS_AHEAD = 7;

    private final PartitionStore partitions;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public PartitionMaintainer(PartitionStore partitions, Clock clock) {
        this.partitions = partitions;
        this.clock = clock;
    }

    public int runOnce() {
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        int created = partitions.ensureDaily("jobs", yesterday, DAYS_AHEAD + 2)
                + partitions.ensureDaily("attempts", yesterday, DAYS_AHEAD + 2);
        if (created > 0) {
            log.info("Created {} daily partitions", created);
        }
        return created;
    }

    @Override
    public void start() {
        runOnce();
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sluice-partitions").daemon().factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (Throwable t) {
                log.warn("Partition upkeep failed; will retry in an hour", t);
            }
        }, 1, 1, TimeUnit.HOURS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
