package io.sluice.topology.live;

import java.time.Instant;

/**
 * Whether the servers this node needs answered when it last looked: what a stream's
 * {@code SystemHealth} says.
 *
 * @param database whether PostgreSQL answered
 * @param kafka    whether the Kafka cluster answered
 * @param at       when the node looked
 */
public record NodeHealth(boolean database, boolean kafka, Instant at) {

    public boolean healthy() {
        return database && kafka;
    }

    /** Whether the two say the same of the servers, whenever they were taken. */
    public boolean sameAs(NodeHealth other) {
        return other != null && database == other.database && kafka == other.kafka;
    }
}
