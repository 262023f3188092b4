package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A job to insert. {@code endpointId} null means the job waits for an external worker;
 * otherwise an outbox row is written with it and the job is delivered by HTTP.
 *
 * @param payload        the JSON text exactly as it will be delivered
 * @param maxRetries     null: the queue's, else {@link JobDefaults#maxRetries()}
 * @param timeoutSeconds null: the queue's default timeout, if it has one
 * @param tags           JSON text, or null
 * @param messageId      the message this job delivers to one of its endpoints, or null
 */
public record NewJob(
        UUID id,
        UUID organizationId,
        String queueName,
        String payload,
        UUID endpointId,
        int priority,
        Integer maxRetries,
        Integer timeoutSeconds,
        String idempotencyKey,
        String tags,
        Instant expiresAt,
        UUID messageId) {
}
