package io.sluice.ingest.dlq;

import io.sluice.core.job.JobState;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.dlq.DeadLetterRequests.PurgeDeadLetters;
import io.sluice.ingest.dlq.DeadLetterRequests.RecoverEndpoint;
import io.sluice.ingest.dlq.DeadLetterRequests.ReplayDeadLetters;
import io.sluice.ingest.dlq.DeadLetterRequests.RetryDeadLetters;
import io.sluice.ingest.dlq.DeadLetterViews.Purged;
import io.sluice.ingest.dlq.DeadLetterViews.Replayed;
import io.sluice.ingest.dlq.DeadLetterViews.Retried;
import io.sluice.ingest.job.JobController;
import io.sluice.ingest.job.FullJobViews;
import io.sluice.ingest.job.JobViews.JobSummary;
import io.sluice.ingest.job.JobViews.JobView;
import io.sluice.ingest.job.VisibleJobs;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.DeadLetterPurge;
import io.sluice.store.DeadLetterQuery;
import io.sluice.store.DeadLetterRetry;
import io.sluice.store.DeadLetterStore;
import io.sluice.store.EndpointStore;
import io.sluice.store.JobRecord;
import io.sluice.store.JobRetry;
import io.sluice.store.JobRetryResult;
import io.sluice.store.JobStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead-letter queue (Spooled's {@code /jobs/dlq} routes) and the retry of one job. The
 * literal {@code /jobs/dlq...} paths win over {@code /jobs/{id}...} in Spring's matching, so
 * "dlq" is never taken for a job id. Every route answers after its commit; a commit that sent
 * jobs back to the outbox wakes the relay so they are published at once.
 */
@RestController
public class DeadLetterController {

    private static final int MAX_LIST_LIMIT = 100;
    private static final int MAX_RETRY_LIMIT = 100;
    private static final int DEFAULT_PURGE_LIMIT = 1_000;
    private static final int DEFAULT_REPLAY_LIMIT = 1_000;
    private static final String RETRYABLE = JobState.manuallyRetryable().stream()
            .map(JobState::wireName).sorted().collect(Collectors.joining(" or "));

    private final DeadLetterStore deadLetters;
    private final JobStore jobs;
    private final OutboxRelay relay;
    private final DeadLetterReplayer replayer;
    private final EndpointStore endpoints;
    private final Clock clock;

    private final VisibleJobs visibleJobs;
    private final FullJobViews fullJobViews;

    public DeadLetterController(DeadLetterStore deadLetters, JobStore jobs, OutboxRelay relay,
                                DeadLetterReplayer replayer, EndpointStore endpoints, VisibleJobs visibleJobs,
                                FullJobViews fullJobViews, Clock clock) {
        this.visibleJobs = visibleJobs;
        this.fullJobViews = fullJobViews;
        this.endpoints = endpoints;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.jobs = jobs;
        this.relay = relay;
        this.replayer = replayer;
    }

    /** Newest dead first; a limit above 100 is clamped and {@code tag} filters, as on the job list. */
    @GetMapping("/api/v1/jobs/dlq")
    public List<JobSummary> list(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                 @RequestParam(name = "queue_name", required = false) String queueName,
                                 @RequestParam(required = false) String tag,
                                 @RequestParam(defaultValue = "50") int limit,
                                 @RequestParam(defaultValue = "0") int offset) {
        return deadLetters.list(new DeadLetterQuery(caller.organizationId(), queueName,
                        Math.clamp(limit, 1, MAX_LIST_LIMIT), Math.max(0, offset), JobController.checkedTag(tag),
                        caller.queueScope()))
                .stream().map(JobSummary::of).toList();
    }

    /**
     * Jobs that are not dead-lettered (any more) are skipped, not an error; so are named jobs
     * of queues outside the key's scope.
     */
    @PostMapping("/api/v1/jobs/dlq/retry")
    public Retried retry(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                         @RequestBody(required = false) RetryDeadLetters request) {
        RetryDeadLetters body = request != null ? request : new RetryDeadLetters(null, null, null);
        int limit = limit(body.limit(), MAX_RETRY_LIMIT, MAX_RETRY_LIMIT);
        List<UUID> jobIds = body.jobIds() == null ? null : jobIds(body.jobIds());
        if (jobIds != null && !caller.reachesAllQueues()) {
            jobIds = jobs.getAll(caller.organizationId(), jobIds).stream()
                    .filter(job -> caller.reaches(job.queueName())).map(JobRecord::id).toList();
        } else if (jobIds == null) {
            caller.requireQueueFilter(body.queueName());
        }
        List<UUID> retried = jobIds != null && jobIds.isEmpty() ? List.of() : deadLetters.retry(
                new DeadLetterRetry(caller.organizationId(), jobIds, body.queueName(), limit));
        if (!retried.isEmpty()) {
            relay.wake();
        }
        return new Retried(retried.size(), retried);
    }

    /**
     * Recovers an endpoint after an outage: every one of its deliveries dead-lettered since
     * {@code since} goes back to pending (at most {@link DeadLetterRetry#MAX_LIMIT} per call;
     * call again for more).
     */
    @PostMapping("/api/v1/endpoints/{id}/recover")
    public Retried recover(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                           @PathVariable String id, @RequestBody(required = false) RecoverEndpoint request) {
        UUID endpointId = Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .orElseThrow(() -> ApiException.notFound("Endpoint not found")).id();
        if (request == null || request.since() == null) {
            throw ApiException.validation("since is required (an ISO-8601 instant)", Map.of("field", "since"));
        }
        if (request.since().isAfter(clock.instant())) {
            throw ApiException.validation("since must not be in the future", Map.of("field", "since"));
        }
        List<UUID> recovered = deadLetters.recover(organizationId, endpointId, request.since(), DeadLetterRetry.MAX_LIMIT);
        if (!recovered.isEmpty()) {
            relay.wake();
        }
        return new Retried(recovered.size(), recovered);
    }

    @PostMapping("/api/v1/jobs/dlq/purge")
    public Purged purge(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                        @RequestBody(required = false) PurgeDeadLetters request) {
        if (request == null || !Boolean.TRUE.equals(request.confirm())) {
            throw ApiException.validation("confirm must be true to purge dead-lettered jobs",
                    Map.of("field", "confirm"));
        }
        caller.requireQueueFilter(request.queueName());
        int limit = limit(request.limit(), DEFAULT_PURGE_LIMIT, DeadLetterPurge.MAX_LIMIT);
        return new Purged(deadLetters.purge(
                new DeadLetterPurge(caller.organizationId(), request.queueName(), request.olderThan(), limit)));
    }

    /**
     * Sluice: re-sends the jobs of dead letters on the DLQ topic that are still dead-lettered
     * (see {@link DeadLetterReplayer}); answers when the scan is done.
     */
    @PostMapping("/api/v1/jobs/dlq/replay")
    public Replayed replay(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                           @RequestBody(required = false) ReplayDeadLetters request) {
        ReplayDeadLetters body = request != null ? request : new ReplayDeadLetters(null, null, null, null, null);
        caller.requireQueueFilter(body.queueName());
        UUID endpointId = null;
        if (body.endpointId() != null) {
            endpointId = Ids.parse(body.endpointId()).orElseThrow(() ->
                    ApiException.validation("endpoint_id must be a UUID", Map.of("field", "endpoint_id")));
        }
        if (body.from() != null && body.to() != null && !body.from().isBefore(body.to())) {
            throw ApiException.validation("from must be before to", Map.of("field", "from"));
        }
        int limit = limit(body.limit(), DEFAULT_REPLAY_LIMIT, DeadLetterRetry.MAX_LIMIT);
        DeadLetterReplayer.Result result = replayer.replay(
                new ReplayScope(caller.organizationId(), body.queueName(), endpointId, body.from(), body.to()), limit);
        return new Replayed(result.scanned(), result.matched(), result.replayed());
    }

    /**
     * Spooled's {@code POST /jobs/{id}/retry}: a failed or dead-lettered job back to pending
     * with its retry count reset; any body is ignored (clients send none).
     */
    @PostMapping("/api/v1/jobs/{id}/retry")
    public JobView retryJob(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                            @PathVariable String id) {
        UUID jobId = visibleJobs.get(caller, id).id();
        return switch (deadLetters.retryJob(new JobRetry(caller.organizationId(), jobId))) {
            case JobRetryResult.Retried(var job) -> {
                relay.wake();
                yield fullJobViews.of(job);
            }
            case JobRetryResult.NotFound() -> throw ApiException.notFound("Job not found");
            case JobRetryResult.NotRetryable(var state) -> throw ApiException.conflict(
                    "Job is " + state.wireName() + "; only " + RETRYABLE + " jobs can be retried");
        };
    }

    private static int limit(Integer requested, int fallback, int max) {
        int limit = requested != null ? requested : fallback;
        if (limit < 1 || limit > max) {
            throw ApiException.validation("limit must be between 1 and " + max, Map.of("field", "limit"));
        }
        return limit;
    }

    private static List<UUID> jobIds(List<String> texts) {
        if (texts.size() > MAX_RETRY_LIMIT) {
            throw ApiException.validation("job_ids may hold at most " + MAX_RETRY_LIMIT + " ids",
                    Map.of("field", "job_ids"));
        }
        return Ids.requireAll(texts, "job_ids");
    }
}
