package io.sluice.ingest.relay;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A background loop on one thread: runs a pass, then waits until woken or until the time the
 * pass asked for. A failed pass is logged and retried after that time; the loop keeps going.
 */
abstract class WakeableLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WakeableLoop.class);

    private final String threadName;
    private final Duration stopTimeout;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread loop;

    WakeableLoop(String threadName, Duration stopTimeout) {
        this.threadName = threadName;
        this.stopTimeout = stopTimeout;
    }

    /** One pass; @return how long to wait before the next unless woken (zero: go on at once) */
    abstract Duration pass();

    /** How long to wait after a pass that threw. */
    abstract Duration afterFailure();

    /** Runs the next pass now rather than at its time. */
    public void wake() {
        wakeups.release();
    }

    private void run() {
        while (running) {
            Duration wait;
            try {
                wait = pass();
            } catch (RuntimeException e) {
                log.warn("{} failed a pass, will retry: {}", threadName, e.toString());
                wait = afterFailure();
            }
            if (wait.isZero()) {
                continue;
            }
            try {
                wakeups.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
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
        loop = Thread.ofPlatform().name(threadName).start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            loop.join(stopTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
