package io.sluice.ingest.work;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sluice.core.job.QueueName;
import io.sluice.core.job.Uuid7;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.auth.KeyRateLimits;
import io.sluice.ingest.grpc.ApiKeyServerInterceptor;
import io.sluice.ingest.grpc.GrpcStatuses;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.proto.spooled.v1.DeregisterRequest;
import io.sluice.proto.spooled.v1.DeregisterResponse;
import io.sluice.proto.spooled.v1.HeartbeatRequest;
import io.sluice.proto.spooled.v1.HeartbeatResponse;
import io.sluice.proto.spooled.v1.RegisterWorkerRequest;
import io.sluice.proto.spooled.v1.RegisterWorkerResponse;
import io.sluice.proto.spooled.v1.WorkerServiceGrpc;
import io.sluice.store.LeaseStore;
import io.sluice.store.Worker;
import io.sluice.store.WorkerStore;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.grpc.server.service.GrpcService;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code spooled.v1.WorkerService}: the worker registry over gRPC, as the REST routes. As the
 * contract says, a heartbeat or deregistration of an unknown worker answers OK with
 * {@code acknowledged=false} / {@code success=false}, and zero means the default.
 */
@GrpcService(interceptors = ApiKeyServerInterceptor.class)
public class SpooledWorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {

    private static final Set<String> STATUSES = Set.of("healthy", "degraded", "draining", "offline");

    private final WorkerStore workers;
    private final LeaseStore leases;
    private final Uuid7 ids;
    private final JsonMapper json;

    /** A key's rate limit counts each call as one request, as over REST. */
    private final KeyRateLimits rateLimits;

    public SpooledWorkerGrpcService(WorkerStore workers, LeaseStore leases, Uuid7 ids, JsonMapper json,
                                    KeyRateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.workers = workers;
        this.leases = leases;
        this.ids = ids;
        this.json = json;
    }

    @Override
    public void register(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> response) {
        Caller caller = ApiKeyServerInterceptor.CALLER.get();
        if (!admitted(caller, response)) {
            return;
        }
        String problem = QueueName.problemWith(request.getQueueName());
        if (problem != null) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        if (!caller.reaches(request.getQueueName())) {
            response.onError(Status.PERMISSION_DENIED.withDescription("this API key may not use queue '"
                    + request.getQueueName() + "'").asRuntimeException());
            return;
        }
        if (request.getHostname().isBlank()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("hostname is required").asRuntimeException());
            return;
        }
        int maxConcurrency = request.getMaxConcurrency() == 0 ? 5 : request.getMaxConcurrency();
        if (maxConcurrency < 1 || maxConcurrency > 100) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("max_concurrency must be between 1 and 100")
                    .asRuntimeException());
            return;
        }
        Worker worker = workers.register(ids.next(), caller.organizationId(), request.getQueueName(),
                request.getHostname(), blankToNull(request.getWorkerType()), maxConcurrency,
                metadata(request.getMetadataMap()), blankToNull(request.getVersion()));
        response.onNext(RegisterWorkerResponse.newBuilder().setWorkerId(worker.id().toString())
                .setLeaseDurationSecs(LeaseDurations.DEFAULT_SECS)
                .setHeartbeatIntervalSecs(WorkerController.HEARTBEAT_INTERVAL_SECS).build());
        response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        Caller caller = ApiKeyServerInterceptor.CALLER.get();
        if (!admitted(caller, response)) {
            return;
        }
        String status = request.getStatus().isBlank() ? null : request.getStatus();
        if (status != null && !STATUSES.contains(status)) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("status must be one of " + STATUSES)
                    .asRuntimeException());
            return;
        }
        Optional<Worker> beat = worker(caller, request.getWorkerId()).flatMap(worker -> workers.heartbeat(
                caller.organizationId(), worker.id(), Math.max(0, request.getCurrentJobs()), status,
                metadata(request.getMetadataMap())));
        response.onNext(HeartbeatResponse.newBuilder().setAcknowledged(beat.isPresent())
                .setShouldDrain(beat.map(w -> "draining".equals(w.status())).orElse(false)).build());
        response.onCompleted();
    }

    @Override
    public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> response) {
        Caller caller = ApiKeyServerInterceptor.CALLER.get();
        if (!admitted(caller, response)) {
            return;
        }
        Optional<Worker> worker = worker(caller, request.getWorkerId());
        worker.ifPresent(w -> {
            workers.goOffline(caller.organizationId(), w.id());
            leases.releaseWorker(w.id(), "the worker deregistered");
        });
        response.onNext(DeregisterResponse.newBuilder().setSuccess(worker.isPresent()).build());
        response.onCompleted();
    }

    private Optional<Worker> worker(Caller caller, String id) {
        Optional<UUID> workerId = Ids.parse(id.strip());
        return workerId.flatMap(uuid -> workers.get(caller.organizationId(), uuid)).filter(w -> caller.reaches(w.queueName()));
    }

    private String metadata(Map<String, String> metadata) {
        return metadata.isEmpty() ? null : json.writeValueAsString(metadata);
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }

    /** Counts the call against the key's rate limit; past it, ends the call with {@code RESOURCE_EXHAUSTED}. */
    private boolean admitted(Caller caller, StreamObserver<?> response) {
        try {
            rateLimits.admit(caller);
            return true;
        } catch (ApiException e) {
            response.onError(GrpcStatuses.of(e).asRuntimeException());
            return false;
        }
    }
}
