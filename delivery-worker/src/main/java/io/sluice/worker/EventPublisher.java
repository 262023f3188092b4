package io.sluice.worker;

import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobEvent;
import io.sluice.core.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts attempt events on {@code sluice.events} and reports when Kafka has them. A send that
 * fails is retried until it succeeds: the record's offset is held back meanwhile, so the
 * worst case is a redelivery, never a lost attempt.
 */
@Component
public class EventPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final long RETRY_DELAY_MS = 1_000;

    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-event-retry").daemon().factory());

    public EventPublisher(KafkaTemplate<String, byte[]> kafka, Topics topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** @param onDurable run once the event is acknowledged by Kafka */
    public void publish(JobEvent event, Runnable onDurable) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topics.events(), event.jobId().toString(), EventCodec.encode(event));
        record.headers().add(JobEvent.TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8));
        send(record, onDurable);
    }

    private void send(ProducerRecord<String, byte[]> record, Runnable onDurable) {
        kafka.send(record).whenComplete((result, failure) -> {
            if (failure == null) {
                onDurable.run();
                return;
            }
            log.warn("Event for job {} not acknowledged, retrying: {}", record.key(), failure.toString());
            retries.schedule(() -> send(record, onDurable), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void destroy() {
        retries.shutdownNow();
    }
}
