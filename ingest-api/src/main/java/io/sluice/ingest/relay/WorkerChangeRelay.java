package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.WorkerChanged;
import io.sluice.core.kafka.Topics;
import io.sluice.store.WorkerChangeStore;
import java.time.Duration;
import java.util.List;
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

    private static final int BATCH_SIZE = 1000;

    private final WorkerChangeStore changes;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;
    private final Counter published;

    public WorkerChangeRelay(WorkerChangeStore changes, KafkaTemplate<String, byte[]> kafka, Topics topics,
                             RelayProperties properties, MeterRegistry meters) {
        super("sluice-worker-change-relay", properties.ackTimeout());
        this.changes = changes;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.published = meters.counter("sluice.relay.worker_changes");
    }

    /** @return how many changes were published */
    public int runOnce() {
        return changes.claimAndPublish(BATCH_SIZE, this::publish);
    }

    private void publish(List<WorkerChanged> batch) throws Exception {
        EventBatch.publish(kafka, topics.events(), WorkerChanged.TYPE, batch, change -> change.workerId().toString(),
                EventCodec::encode, properties.ackTimeout());
        published.increment(batch.size());
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
