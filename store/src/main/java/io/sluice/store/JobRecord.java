package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A job as stored.
 *
 * @param attempts      every attempt ever made
 * @param retryCount    attempts after the first since the job was last (re)started
 * @param nextAttemptAt when a pending job's next attempt is due; null when none is waiting
 * @param result        what an external worker reported on completion (JSON text), or null
 * @param assignedWorkerId the external worker holding (or that last held) the job's lease
 * @param leaseExpiresAt when the current lease runs out; null when none is held
 */
public record JobRecord(
        UUID id,
        UUID organizationId,
        String queueName,
        String state,
        String payload,
        UUID endpointId,
        int priority,
        int maxRetries,
        int attempts,
        int retryCount,
        Integer timeoutSeconds,
        String idempotencyKey,
        String tags,
        Instant scheduledAt,
        Instant expiresAt,
        Instant startedAt,
        Instant completedAt,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        String result,
        UUID assignedWorkerId,
        UUID leaseId,
        Instant leaseExpiresAt) {
}
