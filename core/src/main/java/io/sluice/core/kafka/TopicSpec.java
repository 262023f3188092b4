package io.sluice.core.kafka;

import java.util.Map;

/** A topic Sluice creates at start: name, partitions, replication and topic configs. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(name + ": replication factor must be at least 1");
        }
        configs = Map.copyOf(configs);
    }
}
