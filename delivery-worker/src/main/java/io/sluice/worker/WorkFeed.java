package io.sluice.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.kafka.Topics;
import io.sluice.core.work.HeldWork;
import io.sluice.core.work.WorkItem;
import io.sluice.core.work.WorkSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Reads the work topic into this node's {@link WorkBuffer} and hands its items to claims. An
 * item's offset is committed only once it is settled (leased, or found no longer waiting), so
 * items held by a node that stops or loses a partition are read again by the next owner; the
 * lease's guard (only a pending job is leased) makes a second reading harmless. With the buffer
 * full the node stops reading until workers take some.
 */
@Component
public class WorkFeed extends GroupConsumerLoop implements WorkSource {

    private static final Logger log = LoggerFactory.getLogger(WorkFeed.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** A rate limit's permits come back each second; a tenth of that is prompt enough. */
    private static final Duration RATE_LIMITED_WAIT = Duration.ofMillis(100);

    private final KafkaProperties kafkaProperties;
    private final WorkFeedProperties properties;
    private final Topics topics;
    private final Clock clock;
    private final WorkBuffer buffer = new WorkBuffer();
    private final QueueRateLimits queueRates;

    public WorkFeed(KafkaProperties kafkaProperties, WorkFeedProperties properties, Topics topics, Clock clock,
                    QueueRateLimits queueRates, MeterRegistry meters) {
        super("sluice-work-feed", properties.enabled(), Duration.ofSeconds(10), Duration.ofMillis(200), meters);
        this.kafkaProperties = kafkaProperties;
        this.properties = properties;
        this.topics = topics;
        this.clock = clock;
        this.queueRates = queueRates;
    }

    @Override
    KafkaConsumer<String, byte[]> newConsumer() {
        return ConsumerFactory.create(kafkaProperties, properties.groupId());
    }

    @Override
    Collection<String> topicsToRead() {
        return List.of(topics.work());
    }

    @Override
    void turn(KafkaConsumer<String, byte[]> consumer) {
        if (buffer.size() >= properties.bufferSize()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            try {
                WorkItem item = WorkItem.decode(record.value());
                offsets.started(partition, record.offset());
                buffer.add(new HeldWork(item, record.partition(), record.offset()), clock.instant());
            } catch (MalformedRecordException e) {
                // Nothing can be done with it: skipped, and committed past.
                offsets.started(partition, record.offset());
                offsets.finished(partition, record.offset());
                log.error("Skipping unreadable work record {}-{}@{}", record.topic(), record.partition(),
                        record.offset(), e);
            }
        }
    }

    @Override
    void release(Collection<TopicPartition> partitions) {
        super.release(partitions);
        buffer.drop(partitions.stream().map(TopicPartition::partition).toList());
    }

    /** At most what the queue's rate limit lets start now ({@link QueueRateLimits}); the rest stays held. */
    @Override
    public List<HeldWork> take(UUID organizationId, String queueName, int limit) {
        List<HeldWork> taken = buffer.take(organizationId, queueName, limit, clock.instant());
        int allowed = taken.isEmpty() ? 0 : queueRates.takeClaims(organizationId, queueName, taken.size());
        if (allowed < taken.size()) {
            putBack(taken.subList(allowed, taken.size()));
            return List.copyOf(taken.subList(0, allowed));
        }
        return taken;
    }

    /** While the queue's rate limit allows no more claims, waits a moment rather than report items due. */
    @Override
    public boolean awaitDue(UUID organizationId, String queueName, Duration timeout) throws InterruptedException {
        if (queueRates.claimsExhausted(organizationId, queueName)) {
            Thread.sleep(Math.min(timeout.toMillis(), RATE_LIMITED_WAIT.toMillis()));
            return false;
        }
        return buffer.awaitDue(organizationId, queueName, timeout.toMillis(), clock::instant);
    }

    @Override
    public void settled(Collection<HeldWork> items) {
        String topic = topics.work();
        for (HeldWork held : items) {
            offsets.finished(new TopicPartition(topic, held.partition()), held.offset());
        }
    }

    @Override
    public void putBack(Collection<HeldWork> items) {
        for (HeldWork held : items) {
            buffer.add(held, clock.instant());
        }
    }
}
