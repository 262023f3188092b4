package io.sluice.scheduler;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A scheduler task run on its own thread every {@code interval}, from start to stop. A failed
 * run is logged and the next one tried at its time: every task here takes its rows with
 * {@code SKIP LOCKED}, so a run may fail or overlap another node's without harm.
 */
abstract class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String threadName;
    private final boolean enabled;
    private final Duration interval;
    private ScheduledExecutorService timer;

    PeriodicTask(String threadName, boolean enabled, Duration interval) {
        this.threadName = threadName;
        this.enabled = enabled;
        this.interval = interval;
    }

    /** One run. @return how many things it did (for tests and logs) */
    public abstract int runOnce();

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (Throwable t) {
                log.warn("{} failed; will retry in {}", threadName, interval, t);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
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
}
