package io.sluice.ingest.job;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.job.JobState;
import io.sluice.store.AttemptRecord;
import io.sluice.store.JobDependencies;
import io.sluice.store.JobRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response bodies of the job routes. */
public final class JobViews {

    private JobViews() {
    }

    public record Created(UUID id, boolean created) {
    }

    public record BulkSucceeded(int index, UUID jobId, boolean created) {
    }

    public record BulkFailed(int index, String error) {
    }

    public record BulkResult(List<BulkSucceeded> succeeded, List<BulkFailed> failed, int total,
                             int successCount, int failureCount) {
    }

    /** One attempt; {@code response} is the start of the receiver's body. */
    public record AttemptView(UUID id, int attempt, UUID endpointId, Instant startedAt, long durationMs,
                              Integer statusCode, String response, String errorClass, String error) {
        static AttemptView of(AttemptRecord a) {
            return new AttemptView(a.id(), a.number(), a.endpointId(), a.startedAt(), a.durationMs(),
                    a.statusCode(), a.responseExcerpt(), a.errorClass(), a.error());
        }
    }

    /**
     * The full job: the Spooled shape (with an external worker's {@code result} and lease) plus
     * {@code endpoint_id}, {@code next_attempt_at} (when a pending job's next attempt is due) and
     * {@code attempts}. {@code workflow_id}, {@code dependency_mode} (null without dependencies) and
     * {@code dependencies_met} place it among other jobs. {@code completion_webhook} is the URL only (its secret is never shown). {@code attempt} counts every
     * attempt made; {@code retry_count} those after the first since the job was (re)started.
     */
    public record JobView(
            UUID id, UUID organizationId, String queueName, String status,
            @JsonRawValue String payload, @JsonRawValue String result, int retryCount, int attempt, int maxRetries,
            String lastError, Instant createdAt, Instant scheduledAt, Instant startedAt, Instant completedAt,
            Instant nextAttemptAt, Instant expiresAt, int priority, @JsonRawValue String tags, Integer timeoutSeconds,
            String idempotencyKey, Instant updatedAt, UUID endpointId, UUID assignedWorkerId, UUID leaseId,
            Instant leaseExpiresAt, String completionWebhook, UUID workflowId, String dependencyMode,
            boolean dependenciesMet, List<AttemptView> attempts) {

        public static JobView of(JobRecord job, List<AttemptRecord> attempts, String completionWebhook,
                                 JobDependencies place) {
            return new JobView(job.id(), job.organizationId(), job.queueName(), job.state(), job.payload(), job.result(),
                    job.retryCount(), job.attempts(), job.maxRetries(), job.lastError(),
                    job.createdAt(), job.scheduledAt(), job.startedAt(), job.completedAt(), job.nextAttemptAt(),
                    job.expiresAt(), job.priority(), job.tags(), job.timeoutSeconds(), job.idempotencyKey(),
                    job.updatedAt(), job.endpointId(), job.assignedWorkerId(), job.leaseId(), job.leaseExpiresAt(),
                    completionWebhook, place.workflowId(), place.dependencyMode(), place.dependenciesMet(),
                    attempts.stream().map(AttemptView::of).toList());
        }
    }

    /** An entry of the job list. */
    public record JobSummary(UUID id, String queueName, String status, int priority, int retryCount, int attempt,
                             int maxRetries, String jobType, String lastError, Instant createdAt,
                             Instant scheduledAt, Instant startedAt, Instant completedAt, Instant nextAttemptAt) {
        public static JobSummary of(JobRecord job) {
            return new JobSummary(job.id(), job.queueName(), job.state(), job.priority(),
                    job.retryCount(), job.attempts(), job.maxRetries(),
                    job.endpointId() == null ? "worker" : "webhook", job.lastError(), job.createdAt(),
                    job.scheduledAt(), job.startedAt(), job.completedAt(), job.nextAttemptAt());
        }
    }

    /** Jobs per state; {@code total} counts every state. */
    public record JobStats(long pending, long scheduled, long processing, long completed, long failed, long deadletter,
                           long cancelled, long total) {
        static JobStats of(Map<JobState, Long> counts) {
            return new JobStats(counts.get(JobState.PENDING), counts.get(JobState.SCHEDULED),
                    counts.get(JobState.PROCESSING), counts.get(JobState.COMPLETED), counts.get(JobState.FAILED),
                    counts.get(JobState.DEADLETTER), counts.get(JobState.CANCELLED),
                    counts.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    public record JobStatus(UUID id, String status, String queueName, int retryCount, Instant createdAt,
                            Instant completedAt) {
        static JobStatus of(JobRecord job) {
            return new JobStatus(job.id(), job.state(), job.queueName(), job.retryCount(), job.createdAt(),
                    job.completedAt());
        }
    }

    public record PriorityChanged(UUID jobId, int oldPriority, int newPriority) {
    }
}
