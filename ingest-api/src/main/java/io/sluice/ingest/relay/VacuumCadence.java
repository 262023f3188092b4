package io.sluice.ingest.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a relay should vacuum the table it drains: after {@code every} rows removed by this node
 * (0: never, autovacuum alone). The relays' tables churn too fast for autovacuum (see
 * {@code OutboxStore.vacuum}).
 */
final class VacuumCadence {

    private final int every;
    private final AtomicLong removedSince = new AtomicLong();

    VacuumCadence(int every) {
        this.every = every;
    }

    /** Counts rows removed; @return whether it is time to vacuum (the count starts again) */
    boolean removed(int rows) {
        if (every <= 0 || rows <= 0 || removedSince.addAndGet(rows) < every) {
            return false;
        }
        removedSince.set(0);
        return true;
    }
}
