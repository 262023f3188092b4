package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobChangeSet;
import io.sluice.core.kafka.Topics;
import io.sluice.store.JobChangeStore;
import java.time.Duration;
import java.util.List;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves the job state changes PostgreSQL recorded ({@link JobChangeStore}) to
 * {@code sluice.events}, a record per set ({@link JobChangeSet}), where the live stats and the
 * streams read them. Polls every {@code sluice.relay.poll-interval} and goes on at once after a
 * full batch: a change reaches Kafka within about that interval of its commit.
 */
@Component
public class JobChangeRelay extends WakeableLoop {

    private final JobChangeStore changes;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;
    private final Counter published;
    private final VacuumCadence vacuums;

    public JobChangeRelay(JobChangeStore changes, KafkaTemplate<String, byte[]> kafka, Topics topics,
                          RelayProperties properties, MeterRegistry meters) {
        super("sluice-job-change-relay", properties.ackTimeout());
        this.changes = changes;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.vacuums = new VacuumCadence(properties.vacuumAfter());
        this.published = meters.counter("sluice.relay.job_changes");
    }

    /** @return how many changes were published */
    public int runOnce() {
        int removed = changes.claimAndPublish(properties.changeBatchSize(), this::publish);
        if (vacuums.removed(removed)) {
            changes.vacuum();
        }
        return removed;
    }

    private void publish(List<JobChangeSet> sets) throws Exception {
        EventBatch.publish(kafka, topics.events(), JobChangeSet.TYPE, sets, set -> JobChangeSet.KEY,
                EventCodec::encode, properties.ackTimeout());
        published.increment(sets.stream().mapToInt(set -> set.changes().size()).sum());
    }

    @Override
    Duration pass() {
        return runOnce() < properties.changeBatchSize() ? properties.pollInterval() : Duration.ZERO;
    }

    @Override
    Duration afterFailure() {
        return properties.pollInterval().multipliedBy(10);
    }
}
