package io.sluice.worker;

import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code sluice.deliveries} and keeps many deliveries in flight at once. Records
 * finish out of order; offsets are committed only up to the lowest record whose fate Kafka
 * has not yet acknowledged (its attempt event, and its retry or dead letter: see
 * {@link AttemptRouter}; {@link OffsetTracker}), so a crash redelivers and never skips. When {@code maxInFlight} is reached the consumer pauses its partitions but
 * keeps polling, so it stays in its group.
 */
@Component
public class DeliveryConsumer extends GroupConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** Longest a stopping worker waits for in-flight attempts (above the 60 s endpoint timeout cap). */
    private static final long DRAIN_TIMEOUT_MS = 65_000;

    private final KafkaProperties kafkaProperties;
    private final WorkerProperties properties;
    private final Topics topics;
    private final WebhookDispatcher dispatcher;
    private final AttemptRouter router;
    private final EndpointGate gate;
    private final EndpointDirectory directory;
    private final QueueDirectory queues;
    private final CancelledJobs cancelled;
    private final Counter dropped;
    private final QueueRateLimits queueRates;
    private final RecordSender sender;
    private final Counter attempts;
    private final Counter malformed;

    public DeliveryConsumer(KafkaProperties kafkaProperties, WorkerProperties properties, Topics topics,
                            WebhookDispatcher dispatcher, EndpointGate gate, EndpointDirectory directory,
                            QueueDirectory queues, CancelledJobs cancelled, QueueRateLimits queueRates,
                            AttemptRouter router, RecordSender sender, MeterRegistry meters) {
        super("sluice-delivery-consumer", properties.enabled(), Duration.ofMillis(DRAIN_TIMEOUT_MS + 5_000),
                properties.commitInterval(), meters);
        this.directory = directory;
        this.queues = queues;
        this.cancelled = cancelled;
        this.dropped = meters.counter("sluice.worker.cancelled");
        this.queueRates = queueRates;
        this.kafkaProperties = kafkaProperties;
        this.properties = properties;
        this.topics = topics;
        this.dispatcher = dispatcher;
        this.router = router;
        this.gate = gate;
        this.sender = sender;
        this.attempts = meters.counter("sluice.worker.attempts");
        this.malformed = meters.counter("sluice.worker.malformed");
    }

    @Override
    KafkaConsumer<String, byte[]> newConsumer() {
        return ConsumerFactory.create(kafkaProperties, properties.groupId());
    }

    @Override
    Collection<String> topicsToRead() {
        return List.of(topics.deliveries());
    }

    @Override
    void turn(KafkaConsumer<String, byte[]> c) {
        for (ConsumerRecord<String, byte[]> record : c.poll(POLL_TIMEOUT)) {
            handle(record);
        }
        applyBackpressure(c);
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        long offset = record.offset();
        offsets.started(partition, offset);
        DeliveryMessage delivery;
        try {
            delivery = DeliveryMessage.read(headersByName(record), record.value());
        } catch (MalformedRecordException e) {
            // Nothing can deliver it; park it on the DLQ topic for inspection, then move on.
            malformed.increment();
            log.error("Malformed delivery record at {}@{}: {}", partition, offset, e.getMessage());
            ProducerRecord<String, byte[]> parked = new ProducerRecord<>(topics.deadLetters(), record.key(), record.value());
            record.headers().forEach(h -> parked.headers().add(h));
            sender.send(parked, () -> offsets.finished(partition, offset));
            return;
        }
        Runnable durable = () -> offsets.finished(partition, offset);
        if (cancelled.isCancelled(delivery.jobId())) {
            // Cancelled in PostgreSQL already; nothing to record.
            dropped.increment();
            durable.run();
            return;
        }
        if (queues.isPaused(delivery.organizationId(), delivery.queue())) {
            router.park(delivery, durable);
            return;
        }
        EndpointSnapshot endpoint = directory.get(delivery.endpointId());
        if (endpoint != null && endpoint.version() >= delivery.endpointVersion()) {
            if (!endpoint.enabled()) {
                router.withhold(delivery, "endpoint disabled"
                        + (endpoint.disabledReason() == null ? "" : ": " + endpoint.disabledReason()), durable);
                return;
            }
            delivery = delivery.withEndpoint(endpoint);
        }
        if (!delivery.queueSlotReserved()) {
            QueueRateLimits.Start start = queueRates.bookDelivery(delivery.organizationId(), delivery.queue());
            if (!(start instanceof QueueRateLimits.Start.Now)) {
                router.deferForQueue(delivery, start, durable);
                return;
            }
        }
        DeliveryMessage target = delivery;
        EndpointGate.Admission admission = gate.admit(target, pass -> dispatcher.dispatch(target, attempt -> {
            attempts.increment();
            pass.finished(attempt.outcome());
            router.route(target, attempt, durable);
        }));
        if (admission instanceof EndpointGate.Admission.Deferred deferred) {
            router.defer(target, deferred, durable);
        }
    }

    /**
     * Each header's last value, by name, in one pass: a delivery is read by some twenty names,
     * and a look-up per name walked all the headers each time (an eighth of this thread's time).
     */
    private static Function<String, byte[]> headersByName(ConsumerRecord<String, byte[]> record) {
        Map<String, byte[]> byName = new HashMap<>();
        for (Header header : record.headers()) {
            byName.put(header.key(), header.value());
        }
        return byName::get;
    }

    private void applyBackpressure(KafkaConsumer<String, byte[]> c) {
        boolean full = offsets.inFlight() >= properties.maxInFlight();
        if (full) {
            c.pause(c.assignment());
        } else if (!c.paused().isEmpty()) {
            c.resume(c.paused());
        }
    }

    /** Lets the attempts in flight finish (up to {@link #DRAIN_TIMEOUT_MS}) so their offsets are committed. */
    @Override
    void finish(KafkaConsumer<String, byte[]> c) {
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        while (offsets.inFlight() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
