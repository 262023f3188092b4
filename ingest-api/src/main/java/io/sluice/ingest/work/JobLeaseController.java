package io.sluice.ingest.work;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.QueueNames;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import io.sluice.store.LeaseOutcome;
import io.sluice.store.LeaseCall;
import io.sluice.store.LeasedJob;
import io.sluice.store.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Pull mode: a registered worker claims jobs of its queue with a lease, then completes or
 * fails each, or extends its lease. Calls with a {@code lease_id} are fenced by it (a stale one:
 * 409 {@code LEASE_EXPIRED}); without one, by the worker's id (a job not leased to it: 404).
 */
@RestController
public class JobLeaseController {

    private static final int MAX_CLAIM = 100;
    private static final int MAX_ERROR = 2048;

    public record Claim(String queueName, String workerId, Integer limit, Integer leaseDurationSecs) {
    }

    public record ClaimedJob(UUID id, String queueName, @JsonRawValue String payload, int retryCount, int maxRetries,
                             Integer timeoutSeconds, int priority, Instant leaseExpiresAt, UUID leaseId) {

        static ClaimedJob of(LeasedJob job) {
            return new ClaimedJob(job.id(), job.queueName(), job.payloadText(), job.retryCount(), job.maxRetries(),
                    job.timeoutSeconds(), job.priority(), job.leaseExpiresAt(), job.leaseId());
        }
    }

    public record Claimed(List<ClaimedJob> jobs) {
    }

    public record Complete(String workerId, JsonNode result, String leaseId) {
    }

    /** @param retry false: dead-letter now (Sluice: absent means true) */
    public record Fail(String workerId, String error, String leaseId, Boolean retry) {
    }

    public record Extend(String workerId, Integer leaseDurationSecs, String leaseId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Done(boolean success, Boolean willRetry, Long nextRetryDelaySecs, Instant leaseExpiresAt) {
    }

    private final WorkClaims claims;
    private final LeaseWriter writer;
    private final JobStore jobs;
    private final ScopedWorkers workers;

    public JobLeaseController(WorkClaims claims, LeaseWriter writer, JobStore jobs, ScopedWorkers workers) {
        this.claims = claims;
        this.writer = writer;
        this.jobs = jobs;
        this.workers = workers;
    }

    /** Up to {@code limit} (1-100) jobs, highest priority first, then oldest; an empty list when none wait. */
    @PostMapping("/api/v1/jobs/claim")
    public Claimed claim(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                         @RequestBody(required = false) Claim request) {
        if (request == null) {
            throw ApiException.validation("queue_name and worker_id are required");
        }
        String queue = QueueNames.checked(request.queueName());
        caller.requireQueue(queue);
        Worker worker = worker(caller, request.workerId());
        if (!worker.queueName().equals(queue)) {
            throw ApiException.validation("worker " + worker.id() + " is registered for queue '" + worker.queueName()
                    + "', not '" + queue + "'", Map.of("field", "queue_name"));
        }
        int limit = request.limit() == null ? 1 : request.limit();
        if (limit < 1 || limit > MAX_CLAIM) {
            throw ApiException.validation("limit must be between 1 and " + MAX_CLAIM, Map.of("field", "limit"));
        }
        Duration lease = LeaseDurations.checked(request.leaseDurationSecs(), "lease_duration_secs");
        return new Claimed(claims.claim(caller.organizationId(), queue, worker.id(), limit, lease).stream()
                .map(ClaimedJob::of).toList());
    }

    @PostMapping("/api/v1/jobs/{id}/complete")
    public Done complete(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                         @RequestBody(required = false) Complete request) {
        if (request == null) {
            throw ApiException.validation("worker_id is required", Map.of("field", "worker_id"));
        }
        UUID jobId = visibleJob(caller, id);
        UUID workerId = workerId(request.workerId());
        String result = request.result() == null || request.result().isNull() ? null : request.result().toString();
        return answer(writer.apply(new LeaseCall.Complete(caller.organizationId(), jobId, workerId,
                leaseId(request.leaseId()), result)));
    }

    @PostMapping("/api/v1/jobs/{id}/fail")
    public Done fail(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                     @RequestBody(required = false) Fail request) {
        if (request == null) {
            throw ApiException.validation("worker_id and error are required");
        }
        UUID jobId = visibleJob(caller, id);
        UUID workerId = workerId(request.workerId());
        if (request.error() == null || request.error().isBlank() || request.error().length() > MAX_ERROR) {
            throw ApiException.validation("error is required, at most " + MAX_ERROR + " characters",
                    Map.of("field", "error"));
        }
        return answer(writer.apply(new LeaseCall.Fail(caller.organizationId(), jobId, workerId,
                leaseId(request.leaseId()), request.error(), !Boolean.FALSE.equals(request.retry()))));
    }

    /** Extends the lease to {@code lease_duration_secs} (5-3600, default 30) from now. */
    @PostMapping("/api/v1/jobs/{id}/heartbeat")
    public Done extend(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                       @RequestBody(required = false) Extend request) {
        if (request == null) {
            throw ApiException.validation("worker_id is required", Map.of("field", "worker_id"));
        }
        UUID jobId = visibleJob(caller, id);
        return answer(writer.apply(new LeaseCall.Extend(caller.organizationId(), jobId, workerId(request.workerId()),
                leaseId(request.leaseId()), LeaseDurations.checked(request.leaseDurationSecs(), "lease_duration_secs"))));
    }

    private static Done answer(LeaseOutcome outcome) {
        return switch (outcome) {
            case LeaseOutcome.Completed completed -> new Done(true, null, null, null);
            case LeaseOutcome.WillRetry(Duration delay) -> new Done(true, true, delay.toSeconds(), null);
            case LeaseOutcome.DeadLettered deadLettered -> new Done(true, false, null, null);
            case LeaseOutcome.Extended(Instant until) -> new Done(true, null, null, until);
            case LeaseOutcome.NotFound notFound -> throw ApiException.notFound("Job not found");
            case LeaseOutcome.NotOwned notOwned -> throw ApiException.notFound("Job is not leased to this worker");
            case LeaseOutcome.LeaseExpired expired -> throw new ApiException(HttpStatus.CONFLICT, "LEASE_EXPIRED",
                    "The lease is over (expired, taken back or replaced); the job may be running elsewhere", null);
            case LeaseOutcome.AlreadyCompleted done -> throw ApiException.conflict("Job is already completed");
        };
    }

    private Worker worker(Caller caller, String workerId) {
        if (workerId == null || workerId.isBlank()) {
            throw ApiException.validation("worker_id is required", Map.of("field", "worker_id"));
        }
        return workers.visible(caller, workerId);
    }

    /** The job named; its organization is checked with its lease, so only a key limited to some queues costs a read here. */
    private UUID visibleJob(Caller caller, String id) {
        if (caller.reachesAllQueues()) {
            return Ids.parse(id).orElseThrow(() -> ApiException.notFound("Job not found"));
        }
        return Ids.parse(id).flatMap(uuid -> jobs.get(caller.organizationId(), uuid))
                .filter(job -> caller.reaches(job.queueName()))
                .map(JobRecord::id)
                .orElseThrow(() -> ApiException.notFound("Job not found"));
    }

    private static UUID workerId(String workerId) {
        if (workerId == null || workerId.isBlank()) {
            throw ApiException.validation("worker_id is required", Map.of("field", "worker_id"));
        }
        return Ids.parse(workerId.strip()).orElseThrow(ScopedWorkers::notFound);
    }

    /** Absent or empty: fenced by the worker's id. */
    private static UUID leaseId(String leaseId) {
        if (leaseId == null || leaseId.isBlank()) {
            return null;
        }
        return Ids.parse(leaseId.strip()).orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "LEASE_EXPIRED",
                "lease_id names no lease of this job", null));
    }

}
