package io.sluice.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A job a worker just claimed: what it needs to run it, and its lease.
 *
 * @param payload the stored JSON as UTF-8 bytes, which is how it leaves again (the payload is most
 *                of what a claim moves, and decoding it into a String was a pass over it for nothing)
 * @param lastError the error of its previous attempt, if one failed
 * @param startedAt when this lease began
 */
public record LeasedJob(UUID id, UUID organizationId, String queueName, byte[] payload, int retryCount, int maxRetries,
                        Integer timeoutSeconds, int priority, UUID leaseId, Instant leaseExpiresAt,
                        String idempotencyKey, String lastError, Instant createdAt, Instant scheduledAt,
                        Instant startedAt) {

    /** The payload as JSON text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
