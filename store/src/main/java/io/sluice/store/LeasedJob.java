package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** A job a worker just claimed: what it needs to run it, and its lease. */
public record LeasedJob(UUID id, UUID organizationId, String queueName, String payload, int retryCount, int maxRetries,
                        Integer timeoutSeconds, int priority, UUID leaseId, Instant leaseExpiresAt) {
}
