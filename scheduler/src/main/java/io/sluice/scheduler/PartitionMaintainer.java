package io.sluice.scheduler;

import io.sluice.store.PartitionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps daily partitions of {@code jobs} and {@code attempts} created a week ahead. The
 * first run happens at start, before the API accepts jobs; then hourly.
 */
@Component
public class PartitionMaintainer extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintainer.class);
    /** A week ahead survives a long outage of every scheduler; yesterday covers clock skew. */
    private static final int DAYS_AHEAD = 7;

    private final PartitionStore partitions;
    private final Clock clock;

    public PartitionMaintainer(PartitionStore partitions, Clock clock) {
        super("sluice-partitions", true, Duration.ofHours(1));
        this.partitions = partitions;
        this.clock = clock;
    }

    @Override
    public int runOnce() {
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        int created = partitions.ensureDaily("jobs", yesterday, DAYS_AHEAD + 2)
                + partitions.ensureDaily("attempts", yesterday, DAYS_AHEAD + 2);
        if (created > 0) {
            log.info("Created {} daily partitions", created);
        }
        return created;
    }

    /** Runs once before anything writes jobs, then every hour. */
    @Override
    public void start() {
        runOnce();
        super.start();
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
