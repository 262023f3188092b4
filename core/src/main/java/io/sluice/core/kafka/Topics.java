package io.sluice.core.kafka;

import java.util.List;
import java.util.Map;

/**
 * The topic catalog. Topics are created explicitly at start, never left to broker
 * auto-creation (which would give one partition and the broker's default retention).
 *
 * @param prefix            name prefix, {@code sluice} by default
 * @param deliveryPartitions partitions of the deliveries topic (and later of each retry tier)
 * @param eventPartitions    partitions of the events topic
 * @param replicationFactor  1 on a single embedded broker, 3 on a production cluster
 */
public record Topics(String prefix, int deliveryPartitions, int eventPartitions, short replicationFactor) {

    public static final int DEFAULT_DELIVERY_PARTITIONS = 12;
    public static final int DEFAULT_EVENT_PARTITIONS = 12;

    public String deliveries() {
        return prefix + ".deliveries";
    }

    public String events() {
        return prefix + ".events";
    }

    public String deadLetters() {
        return prefix + ".dlq";
    }

    public String stats() {
        return prefix + ".stats";
    }

    /** Every topic to create at start, with the settings it needs. */
    public List<TopicSpec> all() {
        // On a single broker min.insync.replicas must be 1; on a cluster leave one replica of slack.
        String minIsr = String.valueOf(Math.max(1, replicationFactor - 1));
        Map<String, String> durable = Map.of("min.insync.replicas", minIsr);
        return List.of(
                new TopicSpec(deliveries(), deliveryPartitions, replicationFactor, durable),
                new TopicSpec(events(), eventPartitions, replicationFactor, durable),
                new TopicSpec(deadLetters(), deliveryPartitions, replicationFactor, durable),
                new TopicSpec(stats(), eventPartitions, replicationFactor,
                        Map.of("min.insync.replicas", minIsr, "cleanup.policy", "compact")));
    }
}
