package io.sluice.ingest.relay;

import io.sluice.core.event.JobEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** How the change relays put a batch of one type of event on {@code sluice.events}. */
final class EventBatch {

    private EventBatch() {
    }

    /**
     * Sends each item as a record of {@code topic} with its key and the type header, in order,
     * and returns once Kafka acknowledged them all (throws when one failed, or after {@code ackTimeout}).
     */
    static <T> void publish(KafkaTemplate<String, byte[]> kafka, String topic, String type, List<T> batch,
                            Function<T, String> key, Function<T, byte[]> value, Duration ackTimeout) throws Exception {
        byte[] typeHeader = type.getBytes(StandardCharsets.UTF_8);
        List<CompletableFuture<?>> acks = new ArrayList<>(batch.size());
        for (T item : batch) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key.apply(item), value.apply(item));
            record.headers().add(JobEvent.TYPE_HEADER, typeHeader);
            acks.add(kafka.send(record));
        }
        KafkaAcks.awaitAll(acks, ackTimeout);
    }
}
