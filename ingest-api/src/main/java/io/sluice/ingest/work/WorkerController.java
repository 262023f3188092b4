package io.sluice.ingest.work;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.job.Uuid7;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.QueueNames;
import io.sluice.store.LeaseStore;
import io.sluice.store.Worker;
import io.sluice.store.WorkerStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * External workers: a worker registers for one queue, beats every
 * {@value #HEARTBEAT_INTERVAL_SECS} s, and deregisters when it stops (its leased jobs go back
 * to the queue at once). A worker silent for two minutes is marked offline and its jobs are
 * taken back by the lease reaper.
 */
@RestController
public class WorkerController {

    static final int HEARTBEAT_INTERVAL_SECS = 10;
    private static final int DEFAULT_MAX_CONCURRENCY = 5;
    private static final Set<String> STATUSES = Set.of("healthy", "degraded", "draining", "offline");
    private static final int MAX_TEXT = 255;

    public record Register(String queueName, String hostname, String workerType, Integer maxConcurrency,
                           JsonNode metadata, String version) {
    }

    public record Registered(UUID id, String queueName, int leaseDurationSecs, int heartbeatIntervalSecs) {
    }

    public record Heartbeat(Integer currentJobs, String status, JsonNode metadata) {
    }

    public record Acknowledged(boolean acknowledged, boolean shouldDrain) {
    }

    public record Deregistered(boolean success, int releasedJobs) {
    }

    public record WorkerView(UUID id, UUID organizationId, String queueName, String hostname, String workerType,
                             int maxConcurrency, int currentJobs, String status, Instant lastHeartbeat,
                             @JsonRawValue String metadata, String version, Instant registeredAt, Instant updatedAt) {

        static WorkerView of(Worker w) {
            return new WorkerView(w.id(), w.organizationId(), w.queueName(), w.hostname(), w.workerType(),
                    w.maxConcurrency(), w.currentJobs(), w.status(), w.lastHeartbeat(), w.metadata(), w.version(),
                    w.registeredAt(), w.updatedAt());
        }
    }

    private final WorkerStore workers;
    private final ScopedWorkers scoped;
    private final LeaseStore leases;
    private final Uuid7 ids;

    public WorkerController(WorkerStore workers, ScopedWorkers scoped, LeaseStore leases, Uuid7 ids) {
        this.workers = workers;
        this.scoped = scoped;
        this.leases = leases;
        this.ids = ids;
    }

    @PostMapping("/api/v1/workers/register")
    @ResponseStatus(HttpStatus.CREATED)
    public Registered register(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                               @RequestBody(required = false) Register request) {
        if (request == null) {
            throw ApiException.validation("queue_name and hostname are required");
        }
        String queue = QueueNames.checked(request.queueName());
        caller.requireQueue(queue);
        String hostname = text("hostname", request.hostname(), true);
        int maxConcurrency = request.maxConcurrency() == null || request.maxConcurrency() == 0
                ? DEFAULT_MAX_CONCURRENCY : request.maxConcurrency();
        if (maxConcurrency < 1 || maxConcurrency > 100) {
            throw ApiException.validation("max_concurrency must be between 1 and 100", Map.of("field", "max_concurrency"));
        }
        Worker worker = workers.register(ids.next(), caller.organizationId(), queue, hostname,
                text("worker_type", request.workerType(), false), maxConcurrency, metadata(request.metadata()),
                text("version", request.version(), false));
        return new Registered(worker.id(), queue, LeaseDurations.DEFAULT_SECS, HEARTBEAT_INTERVAL_SECS);
    }

    @PostMapping("/api/v1/workers/{id}/heartbeat")
    public Acknowledged heartbeat(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                  @PathVariable String id, @RequestBody(required = false) Heartbeat request) {
        UUID workerId = scoped.visible(caller, id).id();
        Heartbeat beat = request != null ? request : new Heartbeat(null, null, null);
        if (beat.status() != null && !STATUSES.contains(beat.status())) {
            throw ApiException.validation("status must be one of " + STATUSES, Map.of("field", "status"));
        }
        int currentJobs = beat.currentJobs() == null ? 0 : beat.currentJobs();
        if (currentJobs < 0) {
            throw ApiException.validation("current_jobs must not be negative", Map.of("field", "current_jobs"));
        }
        Worker worker = workers.heartbeat(caller.organizationId(), workerId, currentJobs, beat.status(),
                metadata(beat.metadata())).orElseThrow(ScopedWorkers::notFound);
        return new Acknowledged(true, "draining".equals(worker.status()));
    }

    /** Marks the worker offline and sends its leased jobs back to their queue; any body is ignored. */
    @PostMapping("/api/v1/workers/{id}/deregister")
    public Deregistered deregister(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                   @PathVariable String id) {
        UUID workerId = scoped.visible(caller, id).id();
        workers.goOffline(caller.organizationId(), workerId);
        return new Deregistered(true, leases.releaseWorker(workerId, "the worker deregistered"));
    }

    /** Newest first, a plain array; a limit above 100 is clamped. */
    @GetMapping("/api/v1/workers")
    public List<WorkerView> list(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                 @RequestParam(defaultValue = "100") int limit,
                                 @RequestParam(defaultValue = "0") int offset) {
        return workers.list(caller.organizationId(), caller.queueScope(), Math.clamp(limit, 1, 100),
                Math.max(offset, 0)).stream().map(WorkerView::of).toList();
    }

    @GetMapping("/api/v1/workers/{id}")
    public WorkerView get(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        return WorkerView.of(scoped.visible(caller, id));
    }

    private static String text(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.validation(field + " is required", Map.of("field", field));
            }
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.validation(field + " must be at most " + MAX_TEXT + " characters", Map.of("field", field));
        }
        return value.strip();
    }

    private static String metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!metadata.isObject()) {
            throw ApiException.validation("metadata must be a JSON object", Map.of("field", "metadata"));
        }
        return metadata.toString();
    }
}
