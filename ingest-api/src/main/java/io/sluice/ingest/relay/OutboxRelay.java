package io.sluice.ingest.relay;

import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.kafka.Topics;
import io.sluice.core.work.WorkItem;
import io.sluice.store.OutboxDelivery;
import io.sluice.store.OutboxStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves committed jobs from the outbox to {@code sluice.deliveries}. Each batch is claimed,
 * produced (idempotent producer, acks=all) and deleted in one database transaction that
 * commits only after Kafka acknowledged every record, so a job is never lost between the
 * two and at worst published twice.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Long enough for a batch to be published and committed. */
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    private final OutboxStore outbox;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;
    private final Counter published;
    private final Counter failures;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final List<Thread> loops = new ArrayList<>();
    private final VacuumCadence vacuums;
    private boolean woken;
    private volatile boolean running;

    public OutboxRelay(OutboxStore outbox, KafkaTemplate<String, byte[]> kafka, Topics topics,
                       RelayProperties properties, MeterRegistry meters) {
        this.outbox = outbox;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.vacuums = new VacuumCadence(properties.vacuumAfter());
        this.published = meters.counter("sluice.relay.published");
        this.failures = meters.counter("sluice.relay.failures");
    }

    /**
     * Called after a commit that wrote outbox rows: publish now rather than at the next poll.
     * One loop is enough for one commit's rows; a loop that finds a full batch keeps going
     * without waiting, so a backlog still gets every loop.
     */
    public void wake() {
        signal(false);
    }

    private void signal(boolean everyLoop) {
        lock.lock();
        try {
            woken = true;
            if (everyLoop) {
                work.signalAll();
            } else {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes one batch, and vacuums the outbox once enough rows left it since the last time.
     *
     * @return the number of jobs published
     */
    public int runOnce() {
        int removed = outbox.claimAndPublish(properties.batchSize(), this::publish);
        if (vacuums.removed(removed)) {
            outbox.vacuum();
        }
        return removed;
    }

    private void publish(List<OutboxDelivery> batch, List<WorkItem> work) throws Exception {
        List<CompletableFuture<?>> acks = new ArrayList<>(batch.size() + work.size());
        for (OutboxDelivery delivery : batch) {
            DeliveryMessage message = DeliveryMessage.first(delivery.jobId(), delivery.organizationId(),
                    delivery.endpointId(), delivery.queueName(), delivery.url(), delivery.signingKeys(),
                    delivery.headers(), delivery.timeoutMs(), delivery.limits(), delivery.endpointVersion(), delivery.retrySchedule(),
                    delivery.maxRetries(),
                    delivery.payload().getBytes(StandardCharsets.UTF_8)).atAttempt(delivery.attempt());
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topics.deliveries(), message.key(), message.payload());
            message.headers().forEach((name, value) -> record.headers().add(name, value));
            acks.add(kafka.send(record));
        }
        for (WorkItem item : work) {
            acks.add(kafka.send(topics.work(), item.jobId().toString(), item.encode()));
        }
        KafkaAcks.awaitAll(acks, properties.ackTimeout());
        published.increment(batch.size() + work.size());
    }

    private void loop() {
        while (running) {
            try {
                if (runOnce() < properties.batchSize()) {
                    awaitWork();
                }
            } catch (Throwable t) {
                // The batch was rolled back and stays in the outbox; back off, then try again.
                failures.increment();
                log.warn("Outbox relay batch failed, will retry: {}", t.toString());
                sleepQuietly(properties.pollInterval().toMillis() * 10);
            }
        }
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (!woken) {
                work.await(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < properties.threads(); i++) {
            loops.add(Thread.ofPlatform().name("sluice-outbox-relay-" + i).start(this::loop));
        }
    }

    /**
     * Lets a batch in progress finish; one still stuck after {@link #STOP_GRACE} (waiting for a
     * database connection that will not come, say) is interrupted: its transaction rolls back
     * and its rows are published after the restart.
     */
    @Override
    public void stop() {
        running = false;
        signal(true);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Thread loop : loops) {
            try {
                loop.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (loop.isAlive()) {
                    loop.interrupt();
                    loop.join(properties.ackTimeout().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loops.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the job writer, so committed jobs are still relayed. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 3072;
    }
}
