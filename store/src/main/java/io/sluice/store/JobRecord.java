package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** A job as stored. */
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
        Integer timeoutSeconds,
        String idempotencyKey,
        String tags,
        Instant scheduledAt,
        Instant expiresAt,
        Instant startedAt,
        Instant completedAt,
        String lastError,
        Instant createdAt,
        Instant updatedAt) {
}
