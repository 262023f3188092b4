package io.sluice.ingest.job;

import io.sluice.core.job.JobState;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.job.JobRequests.BulkItem;
import io.sluice.ingest.job.JobRequests.CreateJob;
import io.sluice.ingest.job.JobRequests.CreateJobs;
import io.sluice.ingest.job.JobRequests.PriorityRequest;
import io.sluice.ingest.job.JobViews.BulkFailed;
import io.sluice.ingest.job.JobViews.BulkResult;
import io.sluice.ingest.job.JobViews.BulkSucceeded;
import io.sluice.ingest.job.JobViews.Created;
import io.sluice.ingest.job.JobViews.JobStats;
import io.sluice.ingest.job.JobViews.JobStatus;
import io.sluice.ingest.job.JobViews.JobSummary;
import io.sluice.ingest.job.JobViews.JobView;
import io.sluice.ingest.job.JobViews.PriorityChanged;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.QueueNames;
import io.sluice.ingest.write.JobWriter;
import io.sluice.store.Cancellation;
import io.sluice.store.CancellationStore;
import io.sluice.store.InsertedJob;
import io.sluice.store.JobQuery;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import io.sluice.store.NewJob;
import io.sluice.store.PriorityChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Enqueue and inspect jobs. Enqueue answers only after the jobs are committed. */
@RestController
public class JobController {

    private static final int MAX_LIST_LIMIT = 100;
    static final int MAX_STATUS_IDS = 100;
    static final int MAX_TAG_LENGTH = 255;

    private final JobFactory factory;
    private final JobWriter writer;
    private final JobStore jobs;
    private final CancellationStore cancellations;
    private final DirectoryPublisher directory;
    private final IngestProperties properties;
    private final VisibleJobs visibleJobs;
    private final FullJobViews fullJobViews;

    public JobController(JobFactory factory, JobWriter writer, JobStore jobs, CancellationStore cancellations,
                         DirectoryPublisher directory, IngestProperties properties, VisibleJobs visibleJobs,
                         FullJobViews fullJobViews) {
        this.visibleJobs = visibleJobs;
        this.fullJobViews = fullJobViews;
        this.factory = factory;
        this.writer = writer;
        this.jobs = jobs;
        this.cancellations = cancellations;
        this.directory = directory;
        this.properties = properties;
    }

    /**
     * {@code order_by}: {@code created_at} (the default) or {@code priority}; {@code order_dir}:
     * {@code desc} (the default) or {@code asc}. Ties go newest first.
     */
    private static JobQuery.Order order(String orderBy, String orderDir) {
        boolean ascending = switch (orderDir == null ? "desc" : orderDir.toLowerCase(Locale.ROOT)) {
            case "desc" -> false;
            case "asc" -> true;
            default -> throw ApiException.validation("order_dir must be asc or desc", Map.of("field", "order_dir"));
        };
        return switch (orderBy == null ? "created_at" : orderBy) {
            case "created_at" -> ascending ? JobQuery.Order.OLDEST_FIRST : JobQuery.Order.NEWEST_FIRST;
            case "priority" -> ascending ? JobQuery.Order.LOWEST_PRIORITY_FIRST : JobQuery.Order.HIGHEST_PRIORITY_FIRST;
            default -> throw ApiException.validation("order_by must be created_at or priority",
                    Map.of("field", "order_by"));
        };
    }

    /** @return the tag filter as given; null when there is none */
    public static String checkedTag(String tag) {
        if (tag != null && (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH)) {
            throw ApiException.validation("tag must be 1 to " + MAX_TAG_LENGTH + " characters", Map.of("field", "tag"));
        }
        return tag;
    }

    public static String checkedStatus(String status) {
        if (status != null) {
            try {
                JobState.fromWireName(status);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("unknown status '" + status + "'", Map.of("field", "status"));
            }
        }
        return status;
    }

    @PostMapping("/api/v1/jobs")
    public ResponseEntity<Created> create(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                          @RequestBody CreateJob request) {
        NewJob job = factory.create(caller, new JobFactory.Spec(request.queueName(), RawJson.text(request.payload()),
                request.priority(), request.maxRetries(), request.timeoutSeconds(), request.scheduledAt(),
                request.expiresAt(), request.tags(), request.idempotencyKey(), request.endpointId(),
                request.completionWebhook(), request.completionWebhookSecret()));
        InsertedJob inserted = writer.write(List.of(job)).getFirst();
        return ResponseEntity.status(inserted.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Created(inserted.id(), inserted.created()));
    }

    /**
     * Items are validated one by one: invalid ones are reported in {@code failed}, the valid
     * ones are all written in one commit.
     */
    @PostMapping("/api/v1/jobs/bulk")
    public BulkResult createMany(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                 @RequestBody CreateJobs request) {
        QueueNames.checked(request.queueName());
        List<BulkItem> items = request.jobs();
        if (items == null || items.isEmpty() || items.size() > properties.maxBulkJobs()) {
            throw ApiException.validation("jobs must hold 1 to " + properties.maxBulkJobs() + " jobs",
                    Map.of("field", "jobs"));
        }
        List<NewJob> valid = new ArrayList<>(items.size());
        List<Integer> validIndex = new ArrayList<>(items.size());
        List<BulkFailed> failed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            if (item == null) {
                failed.add(new BulkFailed(i, "job is null"));
                continue;
            }
            try {
                valid.add(factory.create(caller, new JobFactory.Spec(request.queueName(), RawJson.text(item.payload()),
                        orElse(item.priority(), request.defaultPriority()),
                        orElse(item.maxRetries(), request.defaultMaxRetries()),
                        orElse(item.timeoutSeconds(), request.defaultTimeoutSeconds()),
                        item.scheduledAt(), item.expiresAt(), item.tags(), item.idempotencyKey(),
                        item.endpointId() != null ? item.endpointId() : request.endpointId())));
                validIndex.add(i);
            } catch (ApiException e) {
                failed.add(new BulkFailed(i, e.getMessage()));
            }
        }
        List<BulkSucceeded> succeeded = new ArrayList<>(valid.size());
        if (!valid.isEmpty()) {
            List<InsertedJob> inserted = writer.write(valid);
            for (int k = 0; k < inserted.size(); k++) {
                succeeded.add(new BulkSucceeded(validIndex.get(k), inserted.get(k).id(), inserted.get(k).created()));
            }
        }
        return new BulkResult(succeeded, failed, items.size(), succeeded.size(), failed.size());
    }

    @GetMapping("/api/v1/jobs/{id}")
    public JobView get(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                       @PathVariable String id) {
        JobRecord job = visibleJob(caller, id);
        return fullJobViews.of(job);
    }

    /**
     * Newest first unless {@code order_by}/{@code order_dir} say otherwise; a limit above 100 is
     * clamped, as Spooled clients expect. {@code tag=name}
     * matches jobs whose tags have that key (or, for an array of tags, that element);
     * {@code tag=name:value} also those whose tag {@code name} has that value.
     */
    @GetMapping("/api/v1/jobs")
    public List<JobSummary> list(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                 @RequestParam(name = "queue_name", required = false) String queueName,
                                 @RequestParam(required = false) String status,
                                 @RequestParam(required = false) String tag,
                                 @RequestParam(name = "order_by", required = false) String orderBy,
                                 @RequestParam(name = "order_dir", required = false) String orderDir,
                                 @RequestParam(defaultValue = "50") int limit,
                                 @RequestParam(defaultValue = "0") int offset) {
        return jobs.list(new JobQuery(caller.organizationId(), queueName, null, checkedStatus(status),
                        Math.clamp(limit, 1, MAX_LIST_LIMIT), Math.max(0, offset), checkedTag(tag),
                        order(orderBy, orderDir), caller.queueScope()))
                .stream().map(JobSummary::of).toList();
    }

    /** How many of the organization's jobs (of one queue, with {@code queue_name}) are in each state. */
    @GetMapping("/api/v1/jobs/stats")
    public JobStats stats(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                          @RequestParam(name = "queue_name", required = false) String queueName) {
        return JobStats.of(jobs.countByState(caller.organizationId(), queueName, caller.queueScope()));
    }

    /** The states of up to 100 jobs at once ({@code ids=a,b,c}); ids of no job of the organization are left out. */
    @GetMapping("/api/v1/jobs/status")
    public List<JobStatus> statuses(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                    @RequestParam(required = false) List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiException.validation("ids is required: job ids separated by commas", Map.of("field", "ids"));
        }
        if (ids.size() > MAX_STATUS_IDS) {
            throw ApiException.validation("ids may name at most " + MAX_STATUS_IDS + " jobs", Map.of("field", "ids"));
        }
        List<UUID> parsed = new ArrayList<>(ids.size());
        for (String id : ids) {
            parsed.add(Ids.parse(id.strip()).orElseThrow(() ->
                    ApiException.validation("'" + id + "' is not a job id", Map.of("field", "ids"))));
        }
        return jobs.getAll(caller.organizationId(), parsed).stream()
                .filter(job -> caller.reaches(job.queueName())).map(JobStatus::of).toList();
    }

    /**
     * Cancels a {@code pending} or {@code scheduled} job: 204. A delivery already in Kafka (sent,
     * or waiting for a retry) is dropped by the delivery workers, told through
     * {@code sluice.cancellations} before the answer; an attempt already under way, or begun
     * before a worker hears of it, still happens and is recorded on the cancelled job.
     */
    @DeleteMapping("/api/v1/jobs/{id}")
    public ResponseEntity<Void> cancel(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                       @PathVariable String id) {
        UUID jobId = visibleJob(caller, id).id();
        return switch (cancellations.cancel(caller.organizationId(), jobId)) {
            case Cancellation.Cancelled cancelled -> ResponseEntity.noContent().build();
            case Cancellation.NotFound notFound -> throw ApiException.notFound("Job not found");
            case Cancellation.NotCancellable(JobState state) -> throw ApiException.conflict(
                    "Job is " + state.wireName() + "; only pending or scheduled jobs can be cancelled");
            case Cancellation.CancelledInFlight inFlight -> {
                directory.announceCancellation(jobId);
                yield ResponseEntity.noContent().build();
            }
        };
    }

    /** A new priority (-100..100) for a job still waiting to be taken; 409 once it was. */
    @PutMapping("/api/v1/jobs/{id}/priority")
    public PriorityChanged changePriority(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                          @PathVariable String id, @RequestBody PriorityRequest request) {
        UUID jobId = visibleJob(caller, id).id();
        if (request.priority() == null || request.priority() < -100 || request.priority() > 100) {
            throw ApiException.validation("priority must be between -100 and 100", Map.of("field", "priority"));
        }
        return switch (jobs.changePriority(caller.organizationId(), jobId, request.priority())) {
            case PriorityChange.Changed(int before, int after) -> new PriorityChanged(jobId, before, after);
            case PriorityChange.NotFound notFound -> throw ApiException.notFound("Job not found");
            case PriorityChange.NotChangeable(JobState state) -> throw ApiException.conflict(
                    "Job is " + state.wireName() + "; only pending or scheduled jobs can change priority");
        };
    }

    private JobRecord visibleJob(Caller caller, String id) {
        return visibleJobs.get(caller, id);
    }

    private static Integer orElse(Integer value, Integer fallback) {
        return value != null ? value : fallback;
    }
}
