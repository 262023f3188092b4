package io.sluice.ingest.dlq;

import io.sluice.core.kafka.DeadLetter;
import java.time.Instant;
import java.util.UUID;

/**
 * Which dead letters of the topic a replay takes: one organization's, optionally of one queue
 * and one endpoint, dead in {@code [from, to)}.
 *
 * @param queueName  one queue, or null for all
 * @param endpointId one endpoint, or null for all
 * @param from       earliest dead-at, inclusive, or null for the start of the topic
 * @param to         latest dead-at, exclusive, or null for whatever the topic holds when the replay starts
 */
public record ReplayScope(UUID organizationId, String queueName, UUID endpointId, Instant from, Instant to) {

    public ReplayScope {
        if (organizationId == null) {
            throw new IllegalArgumentException("organization is required");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    public boolean matches(DeadLetter dead) {
        return organizationId.equals(dead.delivery().organizationId())
                && (queueName == null || queueName.equals(dead.delivery().queue()))
                && (endpointId == null || endpointId.equals(dead.delivery().endpointId()))
                && (from == null || !dead.deadAt().isBefore(from))
                && (to == null || dead.deadAt().isBefore(to));
    }
}
