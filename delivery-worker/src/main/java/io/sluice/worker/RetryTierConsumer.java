package io.sluice.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.delivery.RetryPolicy;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Sends retries back to {@code sluice.deliveries} when they are due. Each tier topic holds
 * records of one delay, appended in the order they were decided, so the records of a
 * partition become due roughly in offset order, but not exactly: jitter (±10 %) and
 * {@code Retry-After} make neighbours differ. Blocking on the head record would make every
 * record behind it as late as the head's jitter; instead the consumer reads a partition as
 * far as records could already be due (no record is due before
 * {@link RetryPolicy#shortestWait} after its timestamp), holds what it read until each one's
 * own due time, and pauses the partition until its next record could be due. Offsets are
 * committed only up to the lowest record not yet acknowledged on the deliveries topic, so a
 * crash re-reads held records instead of losing them.
 *
 * <p>All state below is touched by the polling thread only, except the offset tracker.
 */
@Component
public class RetryTierConsumer extends GroupConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(RetryTierConsumer.class);
    /** Longest poll: bounds how late a held record is sent on when nothing else wakes the loop. */
    private static final long MAX_POLL_MS = 100;
    /** Producer timestamps and the deciding clock differ by a little: resume a partition this much early. */
    private static final long CLOCK_SLACK_MS = 500;

    /** A record read from a tier, waiting for its due time. */
    private record Held(long dueMs, TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        long bytes() {
            return (record.value() == null ? 0 : record.value().length) + 1024L;
        }
    }

    private final KafkaProperties kafkaProperties;
    private final WorkerProperties properties;
    private final Topics topics;
    private final RecordSender sender;
    private final Clock clock;
    private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(Held::dueMs));
    /** Partitions paused until their next record could be due, and until when. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    /** Partitions paused because the hold is full. */
    private final Set<TopicPartition> pausedForSpace = new HashSet<>();
    private final Map<String, Duration> tierOfTopic = new HashMap<>();
    private final Counter forwarded;
    /** Per tier topic: how long after its due time a retry went back to the deliveries topic. */
    private final Map<String, Timer> lateness = new HashMap<>();
    private long heldBytes;

    public RetryTierConsumer(KafkaProperties kafkaProperties, WorkerProperties properties, Topics topics,
                             RetrySchedule schedule, RecordSender sender, Clock clock, MeterRegistry meters) {
        super("sluice-retry-consumer", properties.enabled(), Duration.ofSeconds(30), properties.commitInterval(), meters);
        this.kafkaProperties = kafkaProperties;
        this.properties = properties;
        this.topics = topics;
        this.sender = sender;
        this.clock = clock;
        for (Duration tier : schedule.tiers()) {
            tierOfTopic.put(topics.retryTier(tier), tier);
            lateness.put(topics.retryTier(tier), Timer.builder("sluice.retry.lateness")
                    .tag("tier", RetrySchedule.label(tier)).publishPercentiles(0.5, 0.99).register(meters));
        }
        this.forwarded = meters.counter("sluice.retry.forwarded");
        meters.gauge("sluice.retry.held", held, PriorityQueue::size);
    }

    @Override
    KafkaConsumer<String, byte[]> newConsumer() {
        return ConsumerFactory.create(kafkaProperties, properties.retryGroupId());
    }

    @Override
    Collection<String> topicsToRead() {
        return List.copyOf(tierOfTopic.keySet());
    }

    @Override
    void turn(KafkaConsumer<String, byte[]> c) {
        runOnce(c);
    }

    /** One turn: send on what is due, resume what may be read, read. */
    void runOnce(KafkaConsumer<String, byte[]> c) {
        long now = clock.millis();
        sendDue(now);
        resumeReady(c, now);
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(pollTimeout(now)));
        now = clock.millis();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
            for (ConsumerRecord<String, byte[]> record : batch) {
                offsets.started(partition, record.offset());
                long due = dueOf(record);
                if (due <= now) {
                    send(partition, record, due, now);
                } else {
                    Held h = new Held(due, partition, record);
                    held.add(h);
                    heldBytes += h.bytes();
                }
            }
            // Nothing after the last record read can be due before this.
            long nextCouldBeDue = batch.getLast().timestamp()
                    + RetryPolicy.shortestWait(tierOfTopic.get(partition.topic())).toMillis() - CLOCK_SLACK_MS;
            if (nextCouldBeDue > now) {
                c.pause(List.of(partition));
                resumeAt.put(partition, nextCouldBeDue);
            }
        }
        if (heldBytes > properties.retryHoldBytes().toBytes()) {
            Set<TopicPartition> reading = new HashSet<>(c.assignment());
            reading.removeAll(c.paused());
            c.pause(reading);
            pausedForSpace.addAll(reading);
        }
        sendDue(clock.millis());
    }

    private void sendDue(long now) {
        while (!held.isEmpty() && held.peek().dueMs() <= now) {
            Held h = held.poll();
            heldBytes -= h.bytes();
            send(h.partition(), h.record(), h.dueMs(), now);
        }
    }

    private void send(TopicPartition partition, ConsumerRecord<String, byte[]> record, long due, long now) {
        ProducerRecord<String, byte[]> delivery = new ProducerRecord<>(topics.deliveries(), record.key(), record.value());
        record.headers().forEach(h -> delivery.headers().add(h));
        long offset = record.offset();
        sender.send(delivery, () -> offsets.finished(partition, offset));
        forwarded.increment();
        lateness.get(partition.topic()).record(Math.max(0, now - due), TimeUnit.MILLISECONDS);
    }

    private void resumeReady(KafkaConsumer<String, byte[]> c, long now) {
        Set<TopicPartition> ready = new HashSet<>();
        resumeAt.entrySet().removeIf(e -> {
            if (e.getValue() <= now) {
                ready.add(e.getKey());
                return true;
            }
            return false;
        });
        if (!pausedForSpace.isEmpty() && heldBytes <= properties.retryHoldBytes().toBytes() / 2) {
            ready.addAll(pausedForSpace);
            pausedForSpace.clear();
        }
        ready.removeIf(p -> resumeAt.containsKey(p) || !c.assignment().contains(p));
        if (!ready.isEmpty()) {
            c.resume(ready);
        }
    }

    /** Until the next held record is due or a partition may be read again, at most {@link #MAX_POLL_MS}. */
    private long pollTimeout(long now) {
        long until = now + MAX_POLL_MS;
        if (!held.isEmpty()) {
            until = Math.min(until, held.peek().dueMs());
        }
        for (long at : resumeAt.values()) {
            until = Math.min(until, at);
        }
        return Math.max(0, until - now);
    }

    /** A record without a readable due time is sent on at once: the delivery consumer judges it. */
    private static long dueOf(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(DeliveryMessage.H_DUE_AT);
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Partitions this consumer no longer owns: their held records are the new owner's to read again. */
    @Override
    void release(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        held.removeIf(h -> {
            if (gone.contains(h.partition())) {
                heldBytes -= h.bytes();
                return true;
            }
            return false;
        });
        gone.forEach(resumeAt::remove);
        pausedForSpace.removeAll(gone);
        offsets.forget(gone);
    }
}
