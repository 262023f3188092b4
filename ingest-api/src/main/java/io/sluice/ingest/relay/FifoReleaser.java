package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.store.FifoStore;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Moves the next job of each FIFO endpoint to the outbox once the one before it is final
 * ({@link FifoStore}). Woken when jobs are accepted; while some lane has a job on its way it
 * looks every {@code sluice.relay.fifo-busy-interval} for it to finish (its final state is
 * written by the projector, possibly on another node), otherwise every
 * {@code sluice.relay.fifo-idle-interval}.
 */
@Component
public class FifoReleaser implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FifoReleaser.class);
    private static final int LANES_PER_PASS = 1_000;

    private final FifoStore store;
    private final OutboxRelay relay;
    private final RelayProperties properties;
    private final Counter released;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread loop;

    public FifoReleaser(FifoStore store, OutboxRelay relay, RelayProperties properties, MeterRegistry meters) {
        this.store = store;
        this.relay = relay;
        this.properties = properties;
        this.released = meters.counter("sluice.relay.fifo_released");
    }

    /** Jobs were accepted: one may be the first of its lane. */
    public void wake() {
        wakeups.release();
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

    private void run() {
        while (running) {
            FifoStore.Pass pass = new FifoStore.Pass(0, 0);
            try {
                pass = runOnce();
            } catch (RuntimeException e) {
                log.warn("Releasing FIFO jobs failed, will retry: {}", e.toString());
            }
            long waitMs = (pass.inFlight() > 0 ? properties.fifoBusyInterval() : properties.fifoIdleInterval()).toMillis();
            try {
                wakeups.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("sluice-fifo-releaser").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            loop.join(properties.ackTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
