package io.sluice.topology.live;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.event.WorkerChanged;
import io.sluice.core.job.JobState;
import io.sluice.core.stats.FlowRates;
import io.sluice.core.stats.LatencyPercentiles;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the realtime API says of a job's change, a worker's, or a queue's counts. */
public final class LiveMessages {

    private LiveMessages() {
    }

    /**
     * A new job: {@code JobCreated}. A job that moved: {@code JobStatusChange}, followed by
     * {@code JobCompleted} or {@code JobFailed} when it completed or failed for good. A job that
     * is gone (deleted, dropped by retention): nothing.
     */
    public static List<LiveMessage> of(JobStateChanged change) {
        if (change.gone()) {
            return List.of();
        }
        if (change.from() == null) {
            Map<String, Object> data = job(change);
            data.put("priority", change.priority());
            data.put("status", change.to().wireName());
            return List.of(new LiveMessage(LiveMessage.JOB_CREATED, data));
        }
        Map<String, Object> moved = job(change);
        moved.put("old_status", change.from().wireName());
        moved.put("new_status", change.to().wireName());
        LiveMessage statusChange = new LiveMessage(LiveMessage.JOB_STATUS_CHANGE, moved);
        return switch (change.to()) {
            case COMPLETED -> {
                Map<String, Object> data = job(change);
                data.put("duration_ms", Math.max(0, Duration.between(change.createdAt(), change.at()).toMillis()));
                yield List.of(statusChange, new LiveMessage(LiveMessage.JOB_COMPLETED, data));
            }
            case DEADLETTER, FAILED -> List.of(statusChange, failed(change, false));
            // A worker's attempt failed (or its lease ran out) and the job waits for the next one
            case PENDING, SCHEDULED -> change.from() == JobState.PROCESSING
                    ? List.of(statusChange, failed(change, true)) : List.of(statusChange);
            default -> List.of(statusChange);
        };
    }

    private static LiveMessage failed(JobStateChanged change, boolean willRetry) {
        Map<String, Object> data = job(change);
        data.put("error", change.error());
        data.put("retry_count", Math.max(0, change.attempts() - 1));
        data.put("will_retry", willRetry);
        data.put("status", change.to().wireName());
        return new LiveMessage(LiveMessage.JOB_FAILED, data);
    }

    /**
     * A webhook attempt: one that failed and will be retried is {@code JobFailed} with
     * {@code will_retry: true} (the job stays pending in between, so no state change says it).
     * Other attempts say nothing here: their job's state change does.
     */
    public static List<LiveMessage> of(AttemptRecorded attempt) {
        if (attempt.delivered() || attempt.jobState() != JobState.PENDING) {
            return List.of();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", attempt.jobId().toString());
        data.put("queue_name", attempt.queueName());
        data.put("at", attempt.startedAt().plusMillis(attempt.durationMs()).toString());
        data.put("error", attempt.error());
        data.put("retry_count", Math.max(0, attempt.attempt() - 1));
        data.put("will_retry", true);
        data.put("status", JobState.PENDING.wireName());
        data.put("next_attempt_at", attempt.nextAttemptAt() == null ? null : attempt.nextAttemptAt().toString());
        return List.of(new LiveMessage(LiveMessage.JOB_FAILED, data));
    }

    /**
     * An external worker's change: {@code WorkerRegistered}, {@code WorkerHeartbeat} or
     * {@code WorkerDeregistered}, each with the worker's queue, status and current job count
     * besides the fields Spooled names. A heartbeat carries no {@code current_job_id}: a worker
     * may hold many jobs, and {@code current_jobs} says how many.
     */
    public static LiveMessage of(WorkerChanged change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("worker_id", change.workerId().toString());
        data.put("queue_name", change.queueName());
        String type = switch (change.kind()) {
            case REGISTERED -> {
                data.put("hostname", change.hostname());
                yield LiveMessage.WORKER_REGISTERED;
            }
            case HEARTBEAT -> LiveMessage.WORKER_HEARTBEAT;
            case DEREGISTERED -> {
                data.put("hostname", change.hostname());
                yield LiveMessage.WORKER_DEREGISTERED;
            }
        };
        data.put("status", change.status());
        data.put("current_jobs", change.currentJobs());
        data.put("at", change.at().toString());
        return new LiveMessage(type, data);
    }

    /**
     * The node's health, as {@code SystemHealth}: the fields of {@code GET /health}
     * ({@code cache} is Kafka, as there) and when the node looked.
     */
    public static LiveMessage systemHealth(NodeHealth health) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", health.healthy() ? "healthy" : "unhealthy");
        data.put("database", health.database());
        data.put("cache", health.kafka());
        data.put("kafka", health.kafka());
        data.put("at", health.at().toString());
        return new LiveMessage(LiveMessage.SYSTEM_HEALTH, data);
    }

    /** Whether a job in this state has ended: its own stream closes. */
    public static boolean ends(JobState state) {
        return state == JobState.COMPLETED || state == JobState.DEADLETTER || state == JobState.FAILED
                || state == JobState.CANCELLED;
    }

    /**
     * A queue's counts, as {@code QueueStats}: Spooled's {@code pending, processing, completed,
     * failed} ({@code failed} counts dead-lettered jobs too), and each state on its own.
     */
    public static LiveMessage queueStats(ScopeStats stats) {
        StateCounts counts = stats.counts();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("queue_name", stats.scope().queueName());
        data.put("pending", counts.pending());
        data.put("processing", counts.processing());
        data.put("completed", counts.completed());
        data.put("failed", counts.failed() + counts.deadletter());
        data.put("scheduled", counts.scheduled());
        data.put("deadletter", counts.deadletter());
        data.put("cancelled", counts.cancelled());
        data.put("as_of", stats.asOf() == null ? null : stats.asOf().toString());
        ScopeFlow flow = stats.flow();
        if (flow != null) {
            data.put("delivered_per_second", rates(flow.delivered()));
            data.put("failed_per_second", rates(flow.failed()));
            data.put("deadlettered_per_second", rates(flow.deadLettered()));
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("last_minute", latency(flow.latencyLastMinute()));
            latency.put("last_hour", latency(flow.latencyLastHour()));
            data.put("latency_ms", latency);
            data.put("oldest_pending_ms", flow.oldestPendingMs());
        }
        return new LiveMessage(LiveMessage.QUEUE_STATS, data);
    }

    private static Map<String, Object> rates(FlowRates rates) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("last_second", rates.lastSecond());
        data.put("last_minute", rates.lastMinute());
        data.put("last_hour", rates.lastHour());
        return data;
    }

    /** Enqueue-to-completion percentiles; null ones when nothing completed. */
    private static Map<String, Object> latency(LatencyPercentiles latency) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("count", latency.count());
        data.put("p50", latency.p50());
        data.put("p90", latency.p90());
        data.put("p99", latency.p99());
        return data;
    }

    /** The fields of every job message: which job, and when the change was made (Sluice's addition). */
    private static Map<String, Object> job(JobStateChanged change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", change.jobId().toString());
        data.put("queue_name", change.queueName());
        data.put("at", change.at().toString());
        return data;
    }
}
