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
 * @param scheduledAt    not to run before then: a later time makes it {@code scheduled}, kept out
 *                       of the outbox until the scheduler releases it; null or past: at once
 * @param completionEndpoint where its completion callback goes when it ends (an endpoint of kind
 *                       {@code completion}), or null
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
        UUID messageId,
        Instant scheduledAt,
        UUID completionEndpoint) {

    /** A job without a completion callback. */
    public NewJob(UUID id, UUID organizationId, String queueName, String payload, UUID endpointId, int priority,
                  Integer maxRetries, Integer timeoutSeconds, String idempotencyKey, String tags, Instant expiresAt,
                  UUID messageId, Instant scheduledAt) {
        this(id, organizationId, queueName, payload, endpointId, priority, maxRetries, timeoutSeconds, idempotencyKey,
                tags, expiresAt, messageId, scheduledAt, null);
    }

    /** A job to run at once. */
    public NewJob(UUID id, UUID organizationId, String queueName, String payload, UUID endpointId, int priority,
                  Integer maxRetries, Integer timeoutSeconds, String idempotencyKey, String tags, Instant expiresAt,
                  UUID messageId) {
        this(id, organizationId, queueName, payload, endpointId, priority, maxRetries, timeoutSeconds, idempotencyKey,
                tags, expiresAt, messageId, null);
    }

    /** Whether it waits, as {@code scheduled}, until a later time than {@code now}. */
    boolean isScheduledAfter(Instant now) {
        return scheduledAt != null && scheduledAt.isAfter(now);
    }
}
