package io.sluice.ingest.job;

import io.sluice.core.job.JobState;
import io.sluice.core.job.QueueName;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.ApiKeyFilter;
import io.sluice.ingest.job.JobRequests.BulkItem;
import io.sluice.ingest.job.JobRequests.CreateJob;
import io.sluice.ingest.job.JobRequests.CreateJobs;
import io.sluice.ingest.job.JobViews.BulkFailed;
import io.sluice.ingest.job.JobViews.BulkResult;
import io.sluice.ingest.job.JobViews.BulkSucceeded;
import io.sluice.ingest.job.JobViews.Created;
import io.sluice.ingest.job.JobViews.JobSummary;
import io.sluice.ingest.job.JobViews.JobView;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.write.JobWriter;
import io.sluice.store.InsertedJob;
import io.sluice.store.JobQuery;
import io.sluice.store.JobStore;
import io.sluice.store.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Enqueue and inspect jobs. Enqueue answers only after the jobs are committed. */
@RestController
public class JobController {

    private static final int MAX_LIST_LIMIT = 100;

    private final JobFactory factory;
    private final JobWriter writer;
    private final JobStore jobs;
    private final IngestProperties properties;

    public JobController(JobFactory factory, JobWriter writer, JobStore jobs, IngestProperties properties) {
        this.factory = factory;
        this.writer = writer;
        this.jobs = jobs;
        this.properties = properties;
    }

    /** A {@code status} filter: null (any), or a job state's wire name; else 400. */
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
    public ResponseEntity<Created> create(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                          @RequestBody CreateJob request) {
        NewJob job = factory.create(organizationId, new JobFactory.Spec(request.queueName(), factory.text(request.payload()),
                request.priority(), request.maxRetries(), request.timeoutSeconds(), request.scheduledAt(),
                request.expiresAt(), request.tags(), request.idempotencyKey(), request.endpointId()));
        InsertedJob inserted = writer.write(List.of(job)).getFirst();
        return ResponseEntity.status(inserted.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Created(inserted.id(), inserted.created()));
    }

    /**
     * Items are validated one by one: invalid ones are reported in {@code failed}, the valid
     * ones are all written in one commit.
     */
    @PostMapping("/api/v1/jobs/bulk")
    public BulkResult createMany(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                 @RequestBody CreateJobs request) {
        String queueProblem = QueueName.problemWith(request.queueName());
        if (queueProblem != null) {
            throw ApiException.validation(queueProblem, Map.of("field", "queue_name"));
        }
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
                valid.add(factory.create(organizationId, new JobFactory.Spec(request.queueName(), factory.text(item.payload()),
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
    public JobView get(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                       @PathVariable String id) {
        return Ids.parse(id).flatMap(uuid -> jobs.get(organizationId, uuid))
                .map(job -> JobView.of(job, jobs.attempts(job.id())))
                .orElseThrow(() -> ApiException.notFound("Job not found"));
    }

    /** Newest first; a limit above 100 is clamped, as Spooled clients expect. */
    @GetMapping("/api/v1/jobs")
    public List<JobSummary> list(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                 @RequestParam(name = "queue_name", required = false) String queueName,
                                 @RequestParam(required = false) String status,
                                 @RequestParam(defaultValue = "50") int limit,
                                 @RequestParam(defaultValue = "0") int offset) {
        return jobs.list(new JobQuery(organizationId, queueName, null, checkedStatus(status), Math.clamp(limit, 1, MAX_LIST_LIMIT),
                        Math.max(0, offset)))
                .stream().map(JobSummary::of).toList();
    }

    private static Integer orElse(Integer value, Integer fallback) {
        return value != null ? value : fallback;
    }
}
