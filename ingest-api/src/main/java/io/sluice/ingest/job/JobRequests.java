package io.sluice.ingest.job;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Request bodies of the job routes (snake_case on the wire). */
public final class JobRequests {

    private JobRequests() {
    }

    /** {@code POST /api/v1/jobs}: the Spooled fields plus {@code endpoint_id}. */
    public record CreateJob(
            String queueName,
            RawJson payload,
            Integer priority,
            Integer maxRetries,
            Integer timeoutSeconds,
            Instant scheduledAt,
            Instant expiresAt,
            JsonNode tags,
            String idempotencyKey,
            String endpointId,
            String completionWebhook,
            String completionWebhookSecret) {
    }

    /** One item of a bulk request; unset fields fall back to the request's defaults. */
    public record BulkItem(
            RawJson payload,
            Integer priority,
            Integer maxRetries,
            Integer timeoutSeconds,
            Instant scheduledAt,
            Instant expiresAt,
            JsonNode tags,
            String idempotencyKey,
            String endpointId) {
    }

    /** {@code POST /api/v1/jobs/bulk}. */
    public record CreateJobs(
            String queueName,
            String endpointId,
            java.util.List<BulkItem> jobs,
            Integer defaultPriority,
            Integer defaultMaxRetries,
            Integer defaultTimeoutSeconds) {
    }

    /** {@code PUT /api/v1/jobs/{id}/priority}. */
    public record PriorityRequest(Integer priority) {
    }
}
