package io.sluice.scheduler;

import io.sluice.store.LeaseStore;
import io.sluice.store.LeaseSweep;
import io.sluice.store.WorkerStore;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends external workers' jobs back down the retry path when their lease ran out, and when
 * their worker went silent (no heartbeat for {@code silent-after}): the worker is marked
 * offline and every job it held is taken back at once, without waiting for the leases.
 */
@Component
public class LeaseReaper extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    private final LeaseStore leases;
    private final WorkerStore workers;
    private final LeaseReaperProperties properties;
    private final Clock clock;

    public LeaseReaper(LeaseStore leases, WorkerStore workers, LeaseReaperProperties properties, Clock clock) {
        super("sluice-lease-reaper", properties.enabled(), properties.interval());
        this.leases = leases;
        this.workers = workers;
        this.properties = properties;
        this.clock = clock;
    }

    /** @return jobs taken back */
    @Override
    public int runOnce() {
        int taken = 0;
        for (UUID worker : workers.markSilentOffline(clock.instant().minus(properties.silentAfter()),
                properties.batchSize())) {
            int released = leases.releaseWorker(worker, "the worker went silent (no heartbeat for "
                    + properties.silentAfter().toSeconds() + " s)");
            log.info("Worker {} went silent: offline, {} of its jobs taken back", worker, released);
            taken += released;
        }
        LeaseSweep sweep;
        do {
            sweep = leases.expireLeases(properties.batchSize());
            taken += sweep.takenBack();
        } while (sweep.grants() == properties.batchSize());
        return taken;
    }
}
