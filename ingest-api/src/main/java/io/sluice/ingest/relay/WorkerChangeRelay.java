package io.sluice.ingest.relay;

import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobEvent;
import io.sluice.core.event.WorkerChanged;
import io.sluice.core.kafka.Topics;
import io.sluice.store.WorkerChangeStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves what external workers did, as PostgreSQL recorded it ({@link WorkerChangeStore}), to
 * {@code sluice.events} as {@code worker.change} events keyed by worker id, where the live streams
 * read them. Polls every {@code sluice.relay.poll-interval}; workers change seldom (a heartbeat
 * every few seconds each), so one small batch per poll is the usual pass.
 */
@Component
public class WorkerChangeRelay extends WakeableLoop {

    private static final byte[] TYPE = WorkerChanged.TYPE.getBytes(StandardCharsets.UTF_8);
    private static final int BATCH_SIZE = 1000;

    private final WorkerChangeStore changes;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;

    public WorkerChangeRelay(WorkerChangeStore changes, KafkaTemplate<String, byte[]> kafka, Topics topics,
                             RelayProperties properties) {
        super("sluice-worker-change-relay", properties.ackTimeout());
        this.changes = changes;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
    }

    /** @return how many changes were published */
    public int runOnce() {
        return changes.claimAndPublish(BATCH_SIZE, this::publish);
    }

    private void publish(List<WorkerChanged> batch) throws Exception {
        List<CompletableFuture<?>> acks = new ArrayList<>(batch.size());
        for (WorkerChanged change : batch) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topics.events(), change.workerId().toString(), EventCodec.encode(change));
            record.headers().add(JobEvent.TYPE_HEADER, TYPE);
            acks.add(kafka.send(record));
        }
        KafkaAcks.awaitAll(acks, properties.ackTimeout());
    }

    @Override
    Duration pass() {
        return runOnce() < BATCH_SIZE ? properties.pollInterval() : Duration.ZERO;
    }

    @Override
    Duration afterFailure() {
        return properties.pollInterval().multipliedBy(10);
    }
}
