package io.sluice.worker;

import io.sluice.core.kafka.Topics;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The jobs cancelled while their delivery was already in Kafka, read from the compacted
 * {@code sluice.cancellations} topic: their deliveries, first attempts and retries alike, are
 * dropped. A worker that hears of a cancellation late makes the attempt, which is recorded on
 * the cancelled job.
 */
@Component
public class CancelledJobs extends CompactedTopicFollower {

    private final Topics topics;
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();

    public CancelledJobs(KafkaProperties kafkaProperties, WorkerProperties properties, Topics topics) {
        super("sluice-cancelled-jobs", kafkaProperties, properties.enabled());
        this.topics = topics;
    }

    public boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

    @Override
    void apply(String key, byte[] value) {
        UUID jobId = UUID.fromString(key);
        if (value == null) {
            cancelled.remove(jobId);
        } else {
            cancelled.add(jobId);
        }
    }

    @Override
    String topic() {
        return topics.cancellations();
    }

    @Override
    String describe() {
        return cancelled.size() + " cancelled jobs";
    }
}
