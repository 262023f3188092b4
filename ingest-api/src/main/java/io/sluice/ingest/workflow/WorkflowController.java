package io.sluice.ingest.workflow;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.job.Uuid7;
import io.sluice.core.workflow.DependencyMode;
import io.sluice.core.workflow.WorkflowGraph;
import io.sluice.core.workflow.WorkflowProgress;
import io.sluice.core.workflow.WorkflowStatus;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.JobRecord;
import io.sluice.store.NewJob;
import io.sluice.store.NewWorkflow;
import io.sluice.store.Workflow;
import io.sluice.store.WorkflowCancel;
import io.sluice.store.WorkflowJob;
import io.sluice.store.WorkflowRetry;
import io.sluice.store.WorkflowStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Workflows ({@code /api/v1/workflows}): up to 100 jobs and the dependencies between them,
 * created in one transaction. Jobs without dependencies start at once; each other job runs when
 * its dependencies complete ({@code all}) or one of them does ({@code any}), and is cancelled,
 * with what waits for it, when they no longer can. The routes need a key for all queues.
 */
@RestController
public class WorkflowController {

    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_METADATA_BYTES = 64 * 1024;

    /** One job of a workflow: the job fields of {@code POST /jobs} with its key and dependencies. */
    public record WorkflowJobRequest(String key, String queueName, JsonNode payload, List<String> dependsOn,
                                     String dependencyMode, Integer priority, Integer maxRetries,
                                     Integer timeoutSeconds, Instant scheduledAt, Instant expiresAt, JsonNode tags,
                                     String endpointId) {
    }

    public record CreateWorkflow(String name, String description, JsonNode metadata, List<WorkflowJobRequest> jobs) {
    }

    public record KeyedJob(String key, UUID jobId) {
    }

    public record Created(UUID workflowId, List<KeyedJob> jobIds, String status) {
    }

    public record Progress(int total, int completed, int failed, int pending, int processing) {
        static Progress of(WorkflowProgress p) {
            return new Progress(p.total(), p.completed(), p.failed() + p.cancelled(), p.waiting(), p.processing());
        }
    }

    /** The flat shape of lists, cancel and retry. */
    public record WorkflowView(UUID id, String name, String description, String status, int totalJobs,
                               int completedJobs, int failedJobs, int progressPercent, Instant createdAt,
                               Instant startedAt, Instant completedAt, @JsonRawValue String metadata) {
        static WorkflowView of(Workflow w) {
            WorkflowProgress p = w.progress();
            return new WorkflowView(w.id(), w.name(), w.description(), w.status().wireName(), p.total(),
                    p.completed(), p.failed(), p.percentComplete(), w.createdAt(), w.startedAt(), w.completedAt(),
                    w.metadata());
        }
    }

    public record Dependency(UUID jobId, UUID dependsOnJobId, String dependencyType) {
    }

    public record WorkflowJobView(UUID id, UUID workflowId, String key, String queueName, String status,
                                  @JsonRawValue String payload, @JsonRawValue String result, List<String> dependsOn,
                                  String dependencyMode, boolean dependenciesMet, int priority, int maxRetries,
                                  int attempt, int retryCount, String lastError, Instant createdAt,
                                  Instant scheduledAt, Instant startedAt, Instant completedAt) {
        static WorkflowJobView of(WorkflowJob wj) {
            JobRecord j = wj.job();
            return new WorkflowJobView(j.id(), wj.workflowId(), wj.key(), j.queueName(), j.state(), j.payload(),
                    j.result(), wj.dependsOn(), wj.dependencyMode(), wj.dependenciesMet(), j.priority(),
                    j.maxRetries(), j.attempts(), j.retryCount(), j.lastError(), j.createdAt(), j.scheduledAt(),
                    j.startedAt(), j.completedAt());
        }
    }

    /** {@code GET /workflows/{id}}: the flat fields, its jobs, the dependencies between them, and progress. */
    public record WorkflowDetail(UUID id, String name, String description, String status, int totalJobs,
                                 int completedJobs, int failedJobs, int progressPercent, Instant createdAt,
                                 Instant startedAt, Instant completedAt, @JsonRawValue String metadata,
                                 List<WorkflowJobView> jobs, List<Dependency> dependencies, Progress progress) {
    }

    public record JobStatus(UUID jobId, String key, String status) {
    }

    private final WorkflowStore workflows;
    private final JobFactory jobFactory;
    private final DirectoryPublisher directory;
    private final OutboxRelay relay;
    private final JsonMapper json;
    private final Uuid7 ids;

    public WorkflowController(WorkflowStore workflows, JobFactory jobFactory, DirectoryPublisher directory,
                              OutboxRelay relay, JsonMapper json, Uuid7 ids) {
        this.workflows = workflows;
        this.jobFactory = jobFactory;
        this.directory = directory;
        this.relay = relay;
        this.json = json;
        this.ids = ids;
    }

    /** 200 with the jobs' ids by key; anything wrong (a cycle, an unknown or repeated key, a bad job) is a 400 and writes nothing. */
    @PostMapping("/api/v1/workflows")
    public Created create(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                          @RequestBody CreateWorkflow request) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > MAX_NAME_LENGTH) {
            throw ApiException.validation("name must be 1 to " + MAX_NAME_LENGTH + " characters",
                    Map.of("field", "name"));
        }
        List<WorkflowJobRequest> requested = request.jobs() == null ? List.of() : request.jobs();
        List<WorkflowGraph.Node> nodes = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            WorkflowJobRequest job = requested.get(i);
            if (job == null) {
                throw ApiException.validation("jobs[" + i + "] is null", Map.of("field", "jobs[" + i + "]"));
            }
            nodes.add(new WorkflowGraph.Node(job.key(), job.dependsOn()));
        }
        if (WorkflowGraph.check(nodes) instanceof WorkflowGraph.Invalid(String field, String message)) {
            throw ApiException.validation(message, Map.of("field", field));
        }
        List<NewWorkflow.Member> members = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            WorkflowJobRequest job = requested.get(i);
            DependencyMode mode = job.dependencyMode() == null ? DependencyMode.ALL
                    : DependencyMode.fromWireName(job.dependencyMode()).orElseThrow(jobError(i, "dependency_mode",
                            "dependency_mode must be all or any"));
            members.add(new NewWorkflow.Member(job.key(), newJob(caller, i, job), nodes.get(i).dependsOn(), mode));
        }
        String metadata = metadata(request.metadata());
        NewWorkflow workflow = new NewWorkflow(ids.next(), caller.organizationId(), request.name(),
                request.description(), metadata, members);
        workflows.create(workflow);
        relay.wake();
        return new Created(workflow.id(),
                members.stream().map(m -> new KeyedJob(m.key(), m.job().id())).toList(),
                WorkflowStatus.PENDING.wireName());
    }

    @GetMapping("/api/v1/workflows")
    public List<WorkflowView> list(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                   @RequestParam(required = false) String status,
                                   @RequestParam(defaultValue = "50") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        WorkflowStatus wanted = status == null ? null : WorkflowStatus.fromWireName(status).orElseThrow(() ->
                ApiException.validation("status must be one of pending, running, completed, failed, cancelled",
                        Map.of("field", "status")));
        return workflows.list(caller.organizationId(), wanted, Math.clamp(limit, 1, 100), Math.max(offset, 0))
                .stream().map(WorkflowView::of).toList();
    }

    @GetMapping("/api/v1/workflows/{id}")
    public WorkflowDetail get(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        Workflow w = visible(caller, id);
        List<WorkflowJob> jobs = workflows.jobs(caller.organizationId(), w.id());
        Map<String, UUID> idOfKey = new HashMap<>();
        jobs.forEach(job -> idOfKey.put(job.key(), job.job().id()));
        List<Dependency> dependencies = new ArrayList<>();
        for (WorkflowJob job : jobs) {
            job.dependsOn().forEach(key -> dependencies.add(
                    new Dependency(job.job().id(), idOfKey.get(key), job.dependencyMode())));
        }
        WorkflowView flat = WorkflowView.of(w);
        return new WorkflowDetail(flat.id(), flat.name(), flat.description(), flat.status(), flat.totalJobs(),
                flat.completedJobs(), flat.failedJobs(), flat.progressPercent(), flat.createdAt(), flat.startedAt(),
                flat.completedAt(), flat.metadata(), jobs.stream().map(WorkflowJobView::of).toList(), dependencies,
                Progress.of(w.progress()));
    }

    /**
     * Cancels the workflow and every job of it that has not started, in one transaction; jobs
     * already running finish. A workflow that completed or failed is 409.
     */
    @PostMapping("/api/v1/workflows/{id}/cancel")
    public WorkflowView cancel(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        Workflow w = visible(caller, id);
        return switch (workflows.cancel(caller.organizationId(), w.id())) {
            case WorkflowCancel.Cancelled(List<UUID> inFlight) -> {
                inFlight.forEach(directory::announceCancellation);
                yield WorkflowView.of(visible(caller, id));
            }
            case WorkflowCancel.NotFound notFound -> throw notFound();
            case WorkflowCancel.Ended(WorkflowStatus status) -> throw ApiException.conflict("Workflow is "
                    + status.wireName() + "; only a pending or running workflow can be cancelled");
        };
    }

    /** Runs a failed workflow's given-up jobs again, and what their failure cancelled; anything else is 409. */
    @PostMapping("/api/v1/workflows/{id}/retry")
    public WorkflowView retry(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        Workflow w = visible(caller, id);
        return switch (workflows.retry(caller.organizationId(), w.id())) {
            case WorkflowRetry.Retried retried -> {
                relay.wake();
                yield WorkflowView.of(visible(caller, id));
            }
            case WorkflowRetry.NotFound notFound -> throw notFound();
            case WorkflowRetry.NotFailed(WorkflowStatus status) -> throw ApiException.conflict(
                    "Workflow is " + status.wireName() + "; only a failed workflow can be retried");
        };
    }

    @GetMapping("/api/v1/workflows/{id}/jobs")
    public List<WorkflowJobView> jobs(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                      @PathVariable String id) {
        return workflows.jobs(caller.organizationId(), visible(caller, id).id()).stream()
                .map(WorkflowJobView::of).toList();
    }

    @GetMapping("/api/v1/workflows/{id}/jobs/status")
    public List<JobStatus> jobStatuses(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                       @PathVariable String id) {
        return workflows.jobs(caller.organizationId(), visible(caller, id).id()).stream()
                .map(job -> new JobStatus(job.job().id(), job.key(), job.job().state())).toList();
    }

    @GetMapping("/api/v1/workflows/{id}/jobs/{jobId}")
    public WorkflowJobView job(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                               @PathVariable String jobId) {
        UUID wanted = Ids.parse(jobId).orElseThrow(() -> ApiException.notFound("Job not found"));
        return workflows.jobs(caller.organizationId(), visible(caller, id).id()).stream()
                .filter(job -> job.job().id().equals(wanted)).findFirst().map(WorkflowJobView::of)
                .orElseThrow(() -> ApiException.notFound("Job not found in this workflow"));
    }

    /** The job as {@code POST /jobs} would make it, its errors pointing into the workflow request. */
    private NewJob newJob(Caller caller, int index, WorkflowJobRequest job) {
        try {
            return jobFactory.create(caller, new JobFactory.Spec(job.queueName(), jobFactory.text(job.payload()),
                    job.priority(), job.maxRetries(), job.timeoutSeconds(), job.scheduledAt(), job.expiresAt(),
                    job.tags(), null, job.endpointId()));
        } catch (ApiException e) {
            Object field = e.details() == null ? null : e.details().get("field");
            String at = "jobs[" + index + "]" + (field == null ? "" : "." + field);
            throw new ApiException(e.status(), e.code(), at + ": " + e.getMessage(), Map.of("field", at));
        }
    }

    private static java.util.function.Supplier<ApiException> jobError(int index, String field, String message) {
        String at = "jobs[" + index + "]." + field;
        return () -> ApiException.validation(at + ": " + message, Map.of("field", at));
    }

    private String metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull() || metadata.isMissingNode()) {
            return null;
        }
        if (!metadata.isObject()) {
            throw ApiException.validation("metadata must be a JSON object", Map.of("field", "metadata"));
        }
        String text = json.writeValueAsString(metadata);
        if (text.length() > MAX_METADATA_BYTES) {
            throw ApiException.validation("metadata must be at most 64 KB of JSON", Map.of("field", "metadata"));
        }
        return text;
    }

    private Workflow visible(Caller caller, String id) {
        return Ids.parse(id).flatMap(uuid -> workflows.find(caller.organizationId(), uuid))
                .orElseThrow(WorkflowController::notFound);
    }

    private static ApiException notFound() {
        return ApiException.notFound("Workflow not found");
    }
}
