package io.sluice.worker;

import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.kafka.Topics;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The newest known version of every endpoint, read from the compacted {@code sluice.endpoints}
 * topic. Deliveries already in Kafka carry the endpoint as it was when they were written; the
 * directory lets the worker see that the endpoint has since been disabled, moved or given new
 * limits. A directory that is behind is safe, only late: every delivery record carries a
 * complete description of its endpoint.
 */
@Component
public class EndpointDirectory extends CompactedTopicFollower {

    private final Topics topics;
    private final Map<UUID, EndpointSnapshot> endpoints = new ConcurrentHashMap<>();

    public EndpointDirectory(KafkaProperties kafkaProperties, WorkerProperties properties, Topics topics) {
        super("sluice-endpoint-directory", kafkaProperties, properties.enabled());
        this.topics = topics;
    }

    /** @return the newest version of the endpoint this worker knows of, or null */
    public EndpointSnapshot get(UUID endpointId) {
        return endpoints.get(endpointId);
    }

    /** A newer version replaces an older one, a tombstone forgets the endpoint. */
    @Override
    void apply(String key, byte[] value) {
        if (value == null) {
            endpoints.remove(UUID.fromString(key));
            return;
        }
        EndpointSnapshot snapshot = EndpointSnapshot.decode(value);
        endpoints.merge(snapshot.id(), snapshot, (known, read) -> read.version() >= known.version() ? read : known);
    }

    @Override
    String topic() {
        return topics.endpoints();
    }

    @Override
    String describe() {
        return endpoints.size() + " endpoints";
    }
}
