package io.sluice.worker;

import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
import org.springframework.stereotype.Component;

/**
 * The newest known version of every endpoint, read from the compacted {@code sluice.endpoints}
 * topic: each worker reads all of it at start and then follows it. Deliveries already in Kafka
 * carry the endpoint as it was when they were written; the directory lets the worker see that
 * the endpoint has since been disabled, moved or given new limits.
 *
 * <p>Starts before the delivery consumer and waits (up to {@link #WARM_UP}) until it has read
 * the topic to its end. A directory that is behind is safe, only late: every delivery record
 * carries a complete description of its endpoint.
 */
@Component
public class EndpointDirectory extends ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(EndpointDirectory.class);
    private static final Duration WARM_UP = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final KafkaProperties kafkaProperties;
    private final WorkerProperties properties;
    private final Topics topics;
    private final Map<UUID, EndpointSnapshot> endpoints = new ConcurrentHashMap<>();
    private volatile CountDownLatch caughtUp = new CountDownLatch(1);

    public EndpointDirectory(KafkaProperties kafkaProperties, WorkerProperties properties, Topics topics) {
        super("sluice-endpoint-directory", properties.enabled(), Duration.ofSeconds(5));
        this.kafkaProperties = kafkaProperties;
        this.properties = properties;
        this.topics = topics;
    }

    /** @return the newest version of the endpoint this worker knows of, or null */
    public EndpointSnapshot get(UUID endpointId) {
        return endpoints.get(endpointId);
    }

    /** Takes one record of the topic: a newer version replaces an older one, a tombstone forgets the endpoint. */
    void apply(String key, byte[] value) {
        if (value == null) {
            endpoints.remove(UUID.fromString(key));
            return;
        }
        EndpointSnapshot snapshot = EndpointSnapshot.decode(value);
        endpoints.merge(snapshot.id(), snapshot, (known, read) -> read.version() >= known.version() ? read : known);
    }

    @Override
    KafkaConsumer<String, byte[]> newConsumer() {
        return ConsumerFactory.createReader(kafkaProperties);
    }

    @Override
    void run(KafkaConsumer<String, byte[]> c) {
        try {
            List<TopicPartition> partitions = c.partitionsFor(topics.endpoints()).stream()
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
                        log.info("Endpoint directory read {} endpoints", endpoints.size());
                        caughtUp.countDown();
                    }
                } catch (WakeupException e) {
                    // stop() woke the poll
                } catch (RuntimeException e) {
                    // A broker hiccup: keep following; records read so far stay known.
                    log.warn("Endpoint directory poll failed, will retry: {}", e.toString());
                }
            }
        } catch (RuntimeException e) {
            log.error("Endpoint directory could not start; deliveries use the endpoint their records carry", e);
        } finally {
            caughtUp.countDown();
        }
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        try {
            apply(record.key(), record.value());
        } catch (MalformedRecordException | IllegalArgumentException e) {
            log.error("Skipping unreadable endpoint record at {}-{}@{}: {}", record.topic(), record.partition(),
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
                log.warn("Endpoint directory not caught up after {}; starting deliveries anyway", WARM_UP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Before the consumers, which look endpoints up from their first record. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
