package io.sluice.core.kafka;

import io.sluice.core.delivery.RetrySchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topic catalog. Topics are created explicitly at start, never left to broker
 * auto-creation (which would give one partition and the broker's default retention).
 *
 * @param prefix              name prefix, {@code sluice} by default
 * @param deliveryPartitions  partitions of the deliveries topic, of each retry tier and of the DLQ
 * @param eventPartitions     partitions of the events topic
 * @param replicationFactor   1 on a single embedded broker, 3 on a production cluster
 * @param retryTiers          one delay topic per tier (see {@link RetrySchedule})
 * @param deadLetterRetention how long the DLQ topic keeps records for replay
 */
public record Topics(String prefix, int deliveryPartitions, int eventPartitions, short replicationFactor,
                     List<Duration> retryTiers, Duration deadLetterRetention) {

    public static final int DEFAULT_DELIVERY_PARTITIONS = 12;
    public static final int DEFAULT_EVENT_PARTITIONS = 12;
    /** Kafka's default retention; a tier topic keeps at least this, and always twice its delay. */
    private static final Duration MIN_RETENTION = Duration.ofDays(7);

    public Topics {
        retryTiers = List.copyOf(retryTiers);
    }

    public String deliveries() {
        return prefix + ".deliveries";
    }

    public String events() {
        return prefix + ".events";
    }

    public String deadLetters() {
        return prefix + ".dlq";
    }

    /**
     * Jobs waiting for external workers ({@link io.sluice.core.work.WorkItem}), keyed by job id
     * so every partition, and so every gateway node, holds a share of every queue.
     */
    public String work() {
        return prefix + ".work";
    }

    /** Compacted: the latest {@link EndpointSnapshot} of every endpoint, read whole by every worker. */
    public String endpoints() {
        return prefix + ".endpoints";
    }

    /** Compacted: the latest {@link QueueState} of every queue ever paused, read whole by every worker. */
    public String queues() {
        return prefix + ".queues";
    }

    /**
     * Compacted: the jobs cancelled while their delivery was already in Kafka (key: job id), read
     * whole by every worker, which then drops their deliveries.
     */
    public String cancellations() {
        return prefix + ".cancellations";
    }

    public String stats() {
        return prefix + ".stats";
    }

    /** Compacted: each worker node's circuit state per endpoint (see {@code CircuitLine}). */
    public String circuits() {
        return prefix + ".circuits";
    }

    /** The delay topic of one tier, e.g. {@code sluice.retry.5m}. */
    public String retryTier(Duration tier) {
        if (!retryTiers.contains(tier)) {
            throw new IllegalArgumentException("no retry tier of " + tier + " (tiers: " + retryTiers + ")");
        }
        return prefix + ".retry." + RetrySchedule.label(tier);
    }

    /** Every topic to create at start, with the settings it needs. */
    public List<TopicSpec> all() {
        // On a single broker min.insync.replicas must be 1; on a cluster leave one replica of slack.
        String minIsr = String.valueOf(Math.max(1, replicationFactor - 1));
        Map<String, String> durable = Map.of("min.insync.replicas", minIsr);
        List<TopicSpec> all = new ArrayList<>(List.of(
                new TopicSpec(deliveries(), deliveryPartitions, replicationFactor, durable),
                new TopicSpec(events(), eventPartitions, replicationFactor, durable),
                new TopicSpec(deadLetters(), deliveryPartitions, replicationFactor,
                        withRetention(durable, deadLetterRetention)),
                new TopicSpec(stats(), eventPartitions, replicationFactor,
                        Map.of("min.insync.replicas", minIsr, "cleanup.policy", "compact")),
                new TopicSpec(endpoints(), eventPartitions, replicationFactor,
                        Map.of("min.insync.replicas", minIsr, "cleanup.policy", "compact")),
                new TopicSpec(work(), deliveryPartitions, replicationFactor, durable),
                new TopicSpec(queues(), eventPartitions, replicationFactor,
                        Map.of("min.insync.replicas", minIsr, "cleanup.policy", "compact")),
                // A notice matters while a delivery of its job may still be in Kafka: as long as
                // any delivery or retry record is kept, then it may go.
                new TopicSpec(cancellations(), eventPartitions, replicationFactor, withRetention(
                        Map.of("min.insync.replicas", minIsr, "cleanup.policy", "compact,delete"),
                        longestDeliveryRetention())),
                new TopicSpec(circuits(), eventPartitions, replicationFactor,
                        Map.of("min.insync.replicas", minIsr, "cleanup.policy", "compact"))));
        for (Duration tier : retryTiers) {
            Duration retention = tier.multipliedBy(2).compareTo(MIN_RETENTION) > 0 ? tier.multipliedBy(2) : MIN_RETENTION;
            all.add(new TopicSpec(retryTier(tier), deliveryPartitions, replicationFactor, withRetention(durable, retention)));
        }
        return all;
    }

    /** The longest any delivery record is kept: Kafka's default week, or a retry tier's. */
    private Duration longestDeliveryRetention() {
        Duration longest = MIN_RETENTION;
        for (Duration tier : retryTiers) {
            if (tier.multipliedBy(2).compareTo(longest) > 0) {
                longest = tier.multipliedBy(2);
            }
        }
        return longest;
    }

    private static Map<String, String> withRetention(Map<String, String> configs, Duration retention) {
        Map<String, String> out = new HashMap<>(configs);
        out.put("retention.ms", Long.toString(retention.toMillis()));
        return out;
    }
}
