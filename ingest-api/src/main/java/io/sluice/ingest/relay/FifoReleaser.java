package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.store.FifoStore;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Moves the next job of each FIFO endpoint to the outbox once the one before it is final
 * ({@link FifoStore}). Woken ({@link #wake()}) when jobs are accepted; while some lane has a job on its way it
 * looks every {@code sluice.relay.fifo-busy-interval} for it to finish (its final state is
 * written by the projector, possibly on another node), otherwise every
 * {@code sluice.relay.fifo-idle-interval}.
 */
@Component
public class FifoReleaser extends WakeableLoop {

    private static final int LANES_PER_PASS = 1_000;

    private final FifoStore store;
    private final OutboxRelay relay;
    private final RelayProperties properties;
    private final Counter released;

    public FifoReleaser(FifoStore store, OutboxRelay relay, RelayProperties properties, MeterRegistry meters) {
        super("sluice-fifo-releaser", properties.ackTimeout());
        this.store = store;
        this.relay = relay;
        this.properties = properties;
        this.released = meters.counter("sluice.relay.fifo_released");
    }

    /** One pass over the lanes. */
    public FifoStore.Pass runOnce() {
        FifoStore.Pass pass = store.releaseNext(LANES_PER_PASS);
        if (pass.released() > 0) {
            released.increment(pass.released());
            relay.wake();
        }
        return pass;
    }

    @Override
    Duration pass() {
        return runOnce().inFlight() > 0 ? properties.fifoBusyInterval() : properties.fifoIdleInterval();
    }

    @Override
    Duration afterFailure() {
        return properties.fifoIdleInterval();
    }
}
