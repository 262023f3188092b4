package io.sluice.ingest.job;

import io.sluice.core.workflow.DependencyMode;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.DependencyAddition;
import io.sluice.store.DependencyStore;
import io.sluice.store.JobDependencies;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dependencies between existing jobs ({@code /api/v1/jobs/{id}/dependencies}): a job that has not
 * started waits, {@code scheduled}, until the jobs it depends on complete ({@code all}) or one
 * of them does ({@code any}). A dependency that would close a cycle is refused with 400.
 */
@RestController
public class JobDependencyController {

    static final int MAX_DEPENDENCIES = 100;

    /** Spooled's fields, or the workflow request's names for the same. */
    public record AddDependencies(List<String> dependsOnJobIds, List<String> dependsOn, String dependencyType,
                                  String dependencyMode) {
    }

    public record Edge(UUID jobId, UUID dependsOnJobId, String dependencyType) {
    }

    public record Added(int added, List<Edge> dependencies, boolean dependenciesMet) {
    }

    public record RelatedView(UUID jobId, String status, String dependencyType, String queueName) {
        static RelatedView of(JobDependencies.Related related) {
            return new RelatedView(related.jobId(), related.state(), related.dependencyMode(), related.queueName());
        }
    }

    public record DependenciesView(UUID jobId, UUID workflowId, String dependencyMode, List<RelatedView> dependencies,
                                   List<RelatedView> dependents, boolean dependenciesMet) {
    }

    private final DependencyStore dependencies;
    private final VisibleJobs visibleJobs;
    private final JobStore jobs;
    private final OutboxRelay relay;

    public JobDependencyController(DependencyStore dependencies, VisibleJobs visibleJobs, JobStore jobs,
                                   OutboxRelay relay) {
        this.dependencies = dependencies;
        this.visibleJobs = visibleJobs;
        this.jobs = jobs;
        this.relay = relay;
    }

    @PostMapping("/api/v1/jobs/{id}/dependencies")
    public Added add(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                     @RequestBody AddDependencies request) {
        JobRecord job = visibleJobs.get(caller, id);
        List<UUID> wanted = dependencyIds(caller, request);
        DependencyMode mode = mode(request);
        return switch (dependencies.add(caller.organizationId(), job.id(), wanted, mode)) {
            case DependencyAddition.Added(int added, List<UUID> all, String dependencyMode, boolean met) -> {
                if (met) {
                    relay.wake();
                }
                yield new Added(added, all.stream().map(d -> new Edge(job.id(), d, dependencyMode)).toList(), met);
            }
            case DependencyAddition.JobNotFound notFound -> throw ApiException.notFound("Job not found");
            case DependencyAddition.UnknownDependencies(List<UUID> unknown) -> throw unknownJobs(unknown);
            case DependencyAddition.WouldCycle(UUID dependency) -> throw ApiException.validation(
                    dependency.equals(job.id()) ? "a job cannot depend on itself"
                            : "job " + dependency + " already waits for job " + job.id()
                            + ", directly or through others: the dependency would make a cycle",
                    Map.of("field", "depends_on_job_ids"));
            case DependencyAddition.AlreadyStarted(var state) -> throw ApiException.conflict("Job is "
                    + state.wireName() + " and already on its way; dependencies can be added only to a job that"
                    + " has not started (scheduled, or pending and not yet handed to delivery)");
        };
    }

    @GetMapping("/api/v1/jobs/{id}/dependencies")
    public DependenciesView get(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        JobRecord job = visibleJobs.get(caller, id);
        JobDependencies found = dependencies.of(caller.organizationId(), job.id())
                .orElseThrow(() -> ApiException.notFound("Job not found"));
        return new DependenciesView(found.jobId(), found.workflowId(), found.dependencyMode(),
                found.dependencies().stream().map(RelatedView::of).toList(),
                found.dependents().stream().map(RelatedView::of).toList(), found.dependenciesMet());
    }

    /** The ids named, each a job the caller can see; else 400 naming the ones that are not. */
    private List<UUID> dependencyIds(Caller caller, AddDependencies request) {
        List<String> given = request.dependsOnJobIds() != null ? request.dependsOnJobIds() : request.dependsOn();
        if (given == null || given.isEmpty() || given.size() > MAX_DEPENDENCIES) {
            throw ApiException.validation("depends_on_job_ids must name 1 to " + MAX_DEPENDENCIES + " jobs",
                    Map.of("field", "depends_on_job_ids"));
        }
        Set<UUID> ids = new LinkedHashSet<>(Ids.requireAll(given, "depends_on_job_ids"));
        Set<UUID> visible = new LinkedHashSet<>();
        jobs.getAll(caller.organizationId(), List.copyOf(ids)).stream()
                .filter(j -> caller.reaches(j.queueName())).forEach(j -> visible.add(j.id()));
        List<UUID> unknown = ids.stream().filter(i -> !visible.contains(i)).toList();
        if (!unknown.isEmpty()) {
            throw unknownJobs(unknown);
        }
        return List.copyOf(ids);
    }

    private static ApiException unknownJobs(List<UUID> unknown) {
        return ApiException.validation("no such jobs: " + unknown, Map.of("field", "depends_on_job_ids"));
    }

    /** null when the request names none: the job keeps its mode, or waits for all. */
    private static DependencyMode mode(AddDependencies request) {
        String name = request.dependencyType() != null ? request.dependencyType() : request.dependencyMode();
        if (name == null) {
            return null;
        }
        return DependencyMode.fromWireName(name).orElseThrow(() -> ApiException.validation(
                "dependency_type must be all or any", Map.of("field", "dependency_type")));
    }
}
