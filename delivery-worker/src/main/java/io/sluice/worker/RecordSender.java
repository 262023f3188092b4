package io.sluice.worker;

import java.util.Map;
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
 * Sends the records that decide a delivery's fate (its attempt event, its next attempt on a
 * retry tier, its dead letter, its return from a tier) and reports when Kafka has each. A
 * send that fails is repeated until it succeeds: the source record's offset is held back
 * meanwhile, so the worst case is a redelivery, never a lost job.
 */
@Component
public class RecordSender implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RecordSender.class);
    /** Long enough for a broker failover to finish, short enough not to stall a partition for long. */
    private static final long RETRY_DELAY_MS = 1_000;

    private final KafkaTemplate<String, byte[]> kafka;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-send-retry").daemon().factory());

    public RecordSender(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    /** @param onDurable run once, when Kafka has acknowledged the record */
    public void send(String topic, String key, Map<String, byte[]> headers, byte[] value, Runnable onDurable) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, bytes) -> record.headers().add(name, bytes));
        send(record, onDurable);
    }

    /** @param onDurable run once, when Kafka has acknowledged the record */
    public void send(ProducerRecord<String, byte[]> record, Runnable onDurable) {
        kafka.send(record).whenComplete((result, failure) -> {
            if (failure == null) {
                onDurable.run();
                return;
            }
            log.warn("Record for job {} on {} not acknowledged, retrying: {}", record.key(), record.topic(),
                    failure.toString());
            retries.schedule(() -> send(record, onDurable), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void destroy() {
        retries.shutdownNow();
    }
}
