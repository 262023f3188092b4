package io.sluice.worker;

import io.sluice.core.kafka.MalformedRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps an in-memory view of a compacted topic: each worker reads all of it at start, then
 * follows it. Starts before the delivery consumers and waits (up to {@link #WARM_UP}) until it
 * has read the topic to its end.
 */
abstract class CompactedTopicFollower extends ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicFollower.class);
    private static final Duration WARM_UP = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final KafkaProperties kafkaProperties;
    private volatile CountDownLatch caughtUp = new CountDownLatch(1);

    CompactedTopicFollower(String threadName, KafkaProperties kafkaProperties, boolean enabled) {
        // A reader of a whole compacted topic: no group, no lag worth a metric.
        super(threadName, enabled, Duration.ofSeconds(5), null);
        this.kafkaProperties = kafkaProperties;
    }

    /** The topic followed. */
    abstract String topic();

    /** Takes one record of the topic (a null value is a tombstone). */
    abstract void apply(String key, byte[] value);

    /** How much is known, for the log once the topic is read to its end. */
    abstract String describe();

    @Override
    KafkaConsumer<String, byte[]> newConsumer() {
        return ConsumerFactory.createReader(kafkaProperties);
    }

    @Override
    void run(KafkaConsumer<String, byte[]> c) {
        try {
            List<TopicPartition> partitions = c.partitionsFor(topic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (isRunning()) {
                try {
                    for (ConsumerRecord<String, byte[]> record : c.poll(POLL_TIMEOUT)) {
                        read(record);
                    }
                    if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        log.info("Read {} to its end: {}", topic(), describe());
                        caughtUp.countDown();
                    }
                } catch (WakeupException e) {
                    // stop() woke the poll
                } catch (RuntimeException e) {
                    // A broker hiccup: keep following; records read so far stay known.
                    log.warn("Following {} failed, will retry: {}", topic(), e.toString());
                }
            }
        } catch (RuntimeException e) {
            log.error("Could not start following {}", topic(), e);
        } finally {
            caughtUp.countDown();
        }
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        try {
            apply(record.key(), record.value());
        } catch (MalformedRecordException | IllegalArgumentException e) {
            log.error("Skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    /** Returns once the topic is read to its end, or after {@link #WARM_UP}. */
    @Override
    public void start() {
        boolean wasRunning = isRunning();
        if (!wasRunning) {
            caughtUp = new CountDownLatch(1);
        }
        super.start();
        if (wasRunning || !isRunning()) {
            return;
        }
        try {
            if (!caughtUp.await(WARM_UP.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} not read to its end after {}; starting deliveries anyway", topic(), WARM_UP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Before the consumers, which look things up from their first record. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
