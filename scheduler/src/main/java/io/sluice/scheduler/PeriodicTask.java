package io.sluice.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A scheduler task run on its own thread from start to stop, {@code interval} after its last run
 * or sooner when it knows its next work is due sooner ({@link #untilDue()}). A failed run is
 * logged and the next one tried an interval later: every task here takes its rows with
 * {@code SKIP LOCKED}, so a run may fail or overlap another node's without harm.
 */
abstract class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);
    /**
     * The least wait between runs: work found due but not taken (rows another node holds)
     * must not turn the loop into a spin.
     */
    static final Duration MIN_WAIT = Duration.ofMillis(10);

    private final String threadName;
    private final boolean enabled;
    private final Duration interval;
    private volatile ScheduledExecutorService timer;

    PeriodicTask(String threadName, boolean enabled, Duration interval) {
        this.threadName = threadName;
        this.enabled = enabled;
        this.interval = interval;
    }

    /** One run. @return how many things it did (for tests and logs) */
    public abstract int runOnce();

    /**
     * How soon the task's next work is due, as far as it knows after a run; a task that waits for
     * a time (a scheduled job, a cron occurrence) starts at that time rather than up to an
     * interval after it. Work that appears meanwhile is found by the interval's run.
     *
     * @return null when unknown or not sooner than the interval
     */
    Duration untilDue() {
        return null;
    }

    /**
     * A pool for transactions run side by side while a backlog lasts: each is bound by one
     * PostgreSQL backend's CPU, so several at once use more cores.
     */
    static ExecutorService sideBySide(String name, int threads) {
        return Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(name + "-", 0).daemon().factory());
    }

    /** Waits for each part and adds up what they did; a part's failure is thrown as it was. */
    static int total(List<Future<Integer>> parts) {
        int total = 0;
        for (Future<Integer> part : parts) {
            try {
                total += part.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return total;
    }

    /** The wait before the next run: the interval, or less when work is due sooner. */
    final Duration nextWait() {
        Duration due = untilDue();
        if (due == null || due.compareTo(interval) >= 0) {
            return interval;
        }
        return due.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : due;
    }

    @Override
    public void start() {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
        // the first run too comes when work is due, if sooner than an interval (asked on the task's own thread)
        timer.execute(() -> schedule(waitOrInterval()));
    }

    private Duration waitOrInterval() {
        try {
            return nextWait();
        } catch (RuntimeException e) {
            log.warn("{} could not tell when its next work is due; will look in {}", threadName, interval, e);
            return interval;
        }
    }

    private void schedule(Duration wait) {
        ScheduledExecutorService current = timer;
        if (current == null) {
            return;
        }
        try {
            // to the nanosecond: cut to whole milliseconds, a wait for a due time would end just before it
            current.schedule(this::tick, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // stop() came between the run and this: nothing more to run
        }
    }

    private void tick() {
        try {
            runOnce();
        } catch (Throwable t) {
            log.warn("{} failed; will retry in {}", threadName, interval, t);
            schedule(interval);
            return;
        }
        schedule(waitOrInterval());
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = timer;
        timer = null;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
