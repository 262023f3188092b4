package io.sluice.store;

import io.sluice.core.schedule.MisfirePolicy;
import io.sluice.core.schedule.OverlapPolicy;
import java.time.Instant;
import java.util.UUID;

/**
 * A cron schedule of one organization: each fire creates a job from its template.
 *
 * @param timezone        IANA zone its expression's local times are in
 * @param endpointId      the endpoint its jobs go to, or null: to external workers
 * @param payloadTemplate the payload of every job it creates, JSON text as given
 * @param maxRetries      null: the queue's
 * @param tags            JSON text, or null
 * @param metadata        JSON text kept for its owner, or null
 * @param nextRunAt       the occurrence it waits for; null while paused or when there is none
 * @param lastJobId       the job of its latest run, or null
 */
public record Schedule(
        UUID id, UUID organizationId, String name, String description, String cronExpression, String timezone,
        String queueName, UUID endpointId, String payloadTemplate, int priority, Integer maxRetries,
        Integer timeoutSeconds, String tags, String metadata, MisfirePolicy misfirePolicy, OverlapPolicy overlapPolicy,
        boolean active, Instant nextRunAt, Instant lastRunAt, UUID lastJobId, long runCount, Instant createdAt,
        Instant updatedAt) {

    /** Active and due at {@code next}, or paused (not due), as changed at {@code now}. */
    public Schedule withTiming(boolean isActive, Instant next, Instant now) {
        return new Schedule(id, organizationId, name, description, cronExpression, timezone, queueName, endpointId,
                payloadTemplate, priority, maxRetries, timeoutSeconds, tags, metadata, misfirePolicy, overlapPolicy,
                isActive, next, lastRunAt, lastJobId, runCount, createdAt, now);
    }

    /** The same schedule with its endpoint and tags as its jobs' validation made them. */
    public Schedule withJobFields(UUID checkedEndpointId, String checkedTags) {
        return new Schedule(id, organizationId, name, description, cronExpression, timezone, queueName,
                checkedEndpointId, payloadTemplate, priority, maxRetries, timeoutSeconds, checkedTags, metadata,
                misfirePolicy, overlapPolicy, active, nextRunAt, lastRunAt, lastJobId, runCount, createdAt, updatedAt);
    }

    /** The job a fire at {@code fireTime} creates; its idempotency key names the schedule and the occurrence. */
    NewJob job(UUID jobId, Instant fireTime) {
        return new NewJob(jobId, organizationId, queueName, payloadTemplate, endpointId, priority, maxRetries,
                timeoutSeconds, "schedule:" + id + ":" + fireTime, tags, null, null);
    }
}
