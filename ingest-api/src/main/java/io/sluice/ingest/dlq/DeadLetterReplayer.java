package io.sluice.ingest.dlq;

import io.sluice.core.kafka.DeadLetter;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.kafka.Topics;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.DeadLetterRetry;
import io.sluice.store.DeadLetterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Replays dead letters from the DLQ topic: reads the topic as it stands when the replay
 * starts (every partition up to the end offsets captured then, from {@code from} or the
 * beginning), keeps the records of the caller's {@link ReplayScope}, and sends their jobs
 * back to pending through {@link DeadLetterStore#retry} in chunks.
 *
 * <p>The topic only says which jobs to look at; the database decides. The store moves only
 * jobs still in {@code deadletter}, so a second replay of the same window re-sends nothing,
 * a job completed or retried since is never re-sent, and a purged job is simply gone. The
 * job is republished from its row through the outbox, like any retry, not from the record.
 *
 * <p>No consumer group: partitions are assigned by hand and no offset is committed, so a
 * replay neither disturbs nor depends on any other reader. One replay runs at a time per node,
 * as each one holds a consumer and reads a whole window.
 */
@Component
public class DeadLetterReplayer {

    /**
     * What a replay did.
     *
     * @param scanned  records read
     * @param matched  distinct jobs of the scope found
     * @param replayed jobs sent back to pending (the others were no longer dead-lettered)
     */
    public record Result(long scanned, int matched, int replayed) {
    }

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);
    /** Short, so the loop notices finished partitions and the deadline promptly. */
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProperties kafka;
    private final Topics topics;
    private final DeadLetterStore deadLetters;
    private final OutboxRelay relay;
    private final ReplayProperties properties;
    private final Clock clock;
    private final Semaphore oneAtATime = new Semaphore(1);

    public DeadLetterReplayer(KafkaProperties kafka, Topics topics, DeadLetterStore deadLetters, OutboxRelay relay,
                              ReplayProperties properties, Clock clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.relay = relay;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param limit most jobs to send back to pending; the scan stops once they are
     * @throws ApiException 409 while another replay runs on this node; 503 when Kafka does not
     *                      answer or the scan outlasts its timeout (chunks already retried stay
     *                      retried, and running the replay again is safe)
     */
    public Result replay(ReplayScope scope, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (!oneAtATime.tryAcquire()) {
            throw ApiException.conflict("A dead-letter replay is already running; try again when it has finished");
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
            return scan(consumer, scope, limit);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.warn("Dead-letter replay gave up: Kafka did not answer in time ({})", e.toString());
            throw ApiException.unavailable("Kafka did not answer in time; running the replay again is safe");
        } finally {
            oneAtATime.release();
        }
    }

    private Result scan(KafkaConsumer<String, byte[]> consumer, ReplayScope scope, int limit) {
        String topic = topics.deadLetters();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            return new Result(0, 0, 0); // no DLQ topic (yet): nothing was ever dead-lettered
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> start = startOffsets(consumer, partitions, scope.from(), end);
        Set<TopicPartition> reading = new HashSet<>();
        for (TopicPartition partition : partitions) {
            if (start.get(partition) < end.get(partition)) {
                reading.add(partition);
            }
        }
        consumer.assign(reading);
        reading.forEach(partition -> consumer.seek(partition, start.get(partition)));

        Instant deadline = clock.instant().plus(properties.scanTimeout());
        Set<UUID> matched = new HashSet<>();
        List<UUID> chunk = new ArrayList<>();
        long scanned = 0;
        int replayed = 0;
        while (!reading.isEmpty() && replayed < limit) {
            if (!clock.instant().isBefore(deadline)) {
                replayed += retry(scope, chunk, limit - replayed);
                log.warn("Dead-letter replay stopped after {}: {} records read, {} jobs replayed",
                        properties.scanTimeout(), scanned, replayed);
                throw ApiException.unavailable("The dead-letter topic could not be read within "
                        + properties.scanTimeout() + "; " + replayed + " jobs were replayed, running again is safe");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue; // written after the replay started: outside its snapshot
                }
                scanned++;
                DeadLetter dead;
                try {
                    dead = DeadLetter.read(name -> lastHeader(record, name), record.value());
                } catch (MalformedRecordException e) {
                    continue; // a record parked as undeliverable: no job to replay
                }
                if (scope.matches(dead) && matched.add(dead.delivery().jobId())) {
                    chunk.add(dead.delivery().jobId());
                    if (chunk.size() >= properties.chunkSize()) {
                        replayed += retry(scope, chunk, limit - replayed);
                        if (replayed >= limit) {
                            break;
                        }
                    }
                }
            }
            for (Iterator<TopicPartition> it = reading.iterator(); it.hasNext(); ) {
                TopicPartition partition = it.next();
                if (consumer.position(partition, METADATA_TIMEOUT) >= end.get(partition)) {
                    consumer.pause(List.of(partition));
                    it.remove();
                }
            }
        }
        if (replayed < limit) {
            replayed += retry(scope, chunk, limit - replayed);
        }
        log.info("Dead-letter replay for organization {}: {} records read, {} jobs matched, {} replayed",
                scope.organizationId(), scanned, matched.size(), replayed);
        return new Result(scanned, matched.size(), replayed);
    }

    /** Where each partition's scan starts: the first record stamped at or after {@code from}, less the margin. */
    private Map<TopicPartition, Long> startOffsets(KafkaConsumer<String, byte[]> consumer,
                                                   List<TopicPartition> partitions, Instant from,
                                                   Map<TopicPartition, Long> end) {
        if (from == null) {
            return consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        }
        long at = Math.max(0, from.minus(properties.seekMargin()).toEpochMilli());
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, at));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, METADATA_TIMEOUT);
        Map<TopicPartition, Long> start = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = found.get(partition);
            // No record stamped that late: nothing to read in this partition.
            start.put(partition, offset == null ? end.get(partition) : offset.offset());
        }
        return start;
    }

    /** Retries one chunk (emptied afterwards); only jobs still dead-lettered move. */
    private int retry(ReplayScope scope, List<UUID> chunk, int atMost) {
        if (chunk.isEmpty() || atMost < 1) {
            chunk.clear();
            return 0;
        }
        List<UUID> moved = deadLetters.retry(new DeadLetterRetry(scope.organizationId(), chunk, null,
                Math.min(atMost, DeadLetterRetry.MAX_LIMIT)));
        chunk.clear();
        if (!moved.isEmpty()) {
            relay.wake();
        }
        return moved.size();
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-dlq-replay");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // Retention may have removed the sought offset meanwhile: start from what is left.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    private static byte[] lastHeader(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }
}
