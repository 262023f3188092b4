package io.sluice.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.context.SmartLifecycle;

/**
 * The life of one of the worker's consumer threads: started with the application (unless the
 * worker is disabled), stopped by waking its poll and waiting for the loop to finish what it
 * must (drain, commit) within a bound.
 */
abstract class ConsumerLoop implements SmartLifecycle {

    private final String threadName;
    private final boolean enabled;
    private final Duration stopTimeout;
    private final MeterRegistry meters;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile CountDownLatch stopped = new CountDownLatch(0);

    /** @param meters where the consumer's own metrics (records lag among them) go; null: nowhere */
    ConsumerLoop(String threadName, boolean enabled, Duration stopTimeout, MeterRegistry meters) {
        this.threadName = threadName;
        this.enabled = enabled;
        this.stopTimeout = stopTimeout;
        this.meters = meters;
    }

    /** A new consumer for one run of the loop; closed when {@link #run} returns. */
    abstract KafkaConsumer<String, byte[]> newConsumer();

    /** Polls until {@link #isRunning()} turns false, then finishes (commits, drains). */
    abstract void run(KafkaConsumer<String, byte[]> consumer);

    private void loop() {
        KafkaClientMetrics metrics = null;
        try (KafkaConsumer<String, byte[]> c = newConsumer()) {
            consumer = c;
            if (meters != null) {
                metrics = new KafkaClientMetrics(c);
                metrics.bindTo(meters);
            }
            run(c);
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            consumer = null;
            stopped.countDown();
        }
    }

    @Override
    public void start() {
        if (!enabled || running) {
            return;
        }
        running = true;
        stopped = new CountDownLatch(1);
        Thread.ofPlatform().name(threadName).start(this::loop);
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            stopped.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
