package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/**
 * An external worker process pulling jobs of one queue.
 *
 * @param status   {@code healthy}, {@code degraded}, {@code draining} or {@code offline}
 * @param metadata free-form JSON text kept for the owner
 */
public record Worker(UUID id, UUID organizationId, String queueName, String hostname, String workerType,
                     int maxConcurrency, int currentJobs, String status, String metadata, String version,
                     Instant lastHeartbeat, Instant registeredAt, Instant updatedAt) {
}
