package io.sluice.worker;

import io.sluice.core.kafka.QueueState;
import io.sluice.core.kafka.Topics;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Which queues are paused or rate limited, read from the compacted {@code sluice.queues} topic. A directory
 * that is behind lets a delivery of a just-paused queue go out, or parks one of a just-resumed
 * queue (the projector then sends it on at once): late, never lost.
 */
@Component
public class QueueDirectory extends CompactedTopicFollower {

    private final Topics topics;
    private final Map<String, QueueState> queues = new ConcurrentHashMap<>();

    public QueueDirectory(KafkaProperties kafkaProperties, WorkerProperties properties, Topics topics) {
        super("sluice-queue-directory", kafkaProperties, properties.enabled());
        this.topics = topics;
    }

    public boolean isPaused(UUID organizationId, String queueName) {
        QueueState state = queues.get(QueueState.key(organizationId, queueName));
        return state != null && state.paused();
    }

    /** @return the queue's jobs started per second at most, or null for no limit */
    public Integer rateLimit(UUID organizationId, String queueName) {
        QueueState state = queues.get(QueueState.key(organizationId, queueName));
        return state == null ? null : state.ratePerSecond();
    }

    /** A newer version replaces an older one, a tombstone forgets the queue. */
    @Override
    void apply(String key, byte[] value) {
        if (value == null) {
            queues.remove(key);
            return;
        }
        QueueState state = QueueState.decode(key, value);
        queues.merge(key, state, (known, read) -> read.version() >= known.version() ? read : known);
    }

    @Override
    String topic() {
        return topics.queues();
    }

    @Override
    String describe() {
        return queues.values().stream().filter(QueueState::paused).count() + " paused queues";
    }
}
