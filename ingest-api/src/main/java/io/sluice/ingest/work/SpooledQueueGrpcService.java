package io.sluice.ingest.work;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.core.job.JobState;
import io.sluice.core.work.WorkSource;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.auth.KeyRateLimits;
import io.sluice.ingest.grpc.ApiKeyServerInterceptor;
import io.sluice.ingest.grpc.GrpcStatuses;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.QueueNames;
import io.sluice.ingest.write.JobWriter;
import io.sluice.proto.spooled.v1.CompleteRequest;
import io.sluice.proto.spooled.v1.CompleteResponse;
import io.sluice.proto.spooled.v1.DequeueRequest;
import io.sluice.proto.spooled.v1.DequeueResponse;
import io.sluice.proto.spooled.v1.EnqueueRequest;
import io.sluice.proto.spooled.v1.EnqueueResponse;
import io.sluice.proto.spooled.v1.ErrorResponse;
import io.sluice.proto.spooled.v1.FailRequest;
import io.sluice.proto.spooled.v1.FailResponse;
import io.sluice.proto.spooled.v1.GetJobRequest;
import io.sluice.proto.spooled.v1.GetJobResponse;
import io.sluice.proto.spooled.v1.GetQueueStatsRequest;
import io.sluice.proto.spooled.v1.GetQueueStatsResponse;
import io.sluice.proto.spooled.v1.Job;
import io.sluice.proto.spooled.v1.ProcessRequest;
import io.sluice.proto.spooled.v1.ProcessResponse;
import io.sluice.proto.spooled.v1.QueueServiceGrpc;
import io.sluice.proto.spooled.v1.RenewLeaseRequest;
import io.sluice.proto.spooled.v1.RenewLeaseResponse;
import io.sluice.proto.spooled.v1.StreamJobsRequest;
import io.sluice.store.InsertedJob;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import io.sluice.store.LeaseOutcome;
import io.sluice.store.LeaseCall;
import io.sluice.store.LeaseStore;
import io.sluice.store.LeasedJob;
import io.sluice.store.QueueStats;
import io.sluice.store.QueueStore;
import io.sluice.store.Worker;
import io.sluice.store.WorkerStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.service.GrpcService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code spooled.v1.QueueService}: enqueue, and pull mode over gRPC. {@code StreamJobs} and
 * {@code ProcessJobs} push jobs as they reach this node (they wait on its share of the work
 * topic, never poll the database); every pushed job is leased, so a worker whose stream drops
 * loses its leases to the reaper and its jobs are retried. Zero means the default; an empty
 * {@code lease_id} is fenced by {@code worker_id}.
 */
@GrpcService(interceptors = ApiKeyServerInterceptor.class)
public class SpooledQueueGrpcService extends QueueServiceGrpc.QueueServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(SpooledQueueGrpcService.class);
    private static final int MAX_BATCH = 100;
    private static final int MAX_ERROR = 2048;
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final String STREAM_ENDED = "the worker's ProcessJobs stream ended before it finished the job";

    private final JobFactory factory;
    private final JobWriter writer;
    private final JobStore jobs;
    private final QueueStore queues;
    private final WorkerStore workers;
    private final WorkClaims claims;
    private final LeaseWriter leaseWriter;
    private final LeaseStore leases;
    private final WorkSource source;
    private final JsonMapper json;

    /** A key's rate limit counts a unary call, a job stream, and each message of a conversation as one request. */
    private final KeyRateLimits rateLimits;

    public SpooledQueueGrpcService(JobFactory factory, JobWriter writer, JobStore jobs, QueueStore queues,
                                   WorkerStore workers, WorkClaims claims, LeaseWriter leaseWriter, LeaseStore leases,
                                   WorkSource source, JsonMapper json, KeyRateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.factory = factory;
        this.writer = writer;
        this.jobs = jobs;
        this.queues = queues;
        this.workers = workers;
        this.claims = claims;
        this.leaseWriter = leaseWriter;
        this.leases = leases;
        this.source = source;
        this.json = json;
    }

    @Override
    public void enqueue(EnqueueRequest request, StreamObserver<EnqueueResponse> response) {
        unary(response, () -> {
            JsonNode tags = request.getTagsCount() == 0 ? null : json.valueToTree(request.getTagsMap());
            JobFactory.Spec spec = new JobFactory.Spec(request.getQueueName(), SpooledJobs.json(request.getPayload()),
                    request.getPriority(), zeroToNull(request.getMaxRetries()), zeroToNull(request.getTimeoutSeconds()),
                    request.hasScheduledAt() ? SpooledJobs.instant(request.getScheduledAt()) : null, null, tags,
                    request.getIdempotencyKey().isBlank() ? null : request.getIdempotencyKey(), null);
            InsertedJob inserted = writer.write(List.of(factory.create(caller(), spec))).getFirst();
            return EnqueueResponse.newBuilder().setJobId(inserted.id().toString()).setCreated(inserted.created()).build();
        });
    }

    @Override
    public void dequeue(DequeueRequest request, StreamObserver<DequeueResponse> response) {
        unary(response, () -> {
            Caller caller = caller();
            Worker worker = worker(caller, request.getQueueName(), request.getWorkerId());
            int batch = request.getBatchSize() == 0 ? 1 : request.getBatchSize();
            if (batch < 1 || batch > MAX_BATCH) {
                throw ApiException.validation("batch_size must be between 1 and " + MAX_BATCH);
            }
            return DequeueResponse.newBuilder().addAllJobs(claim(caller, worker, batch,
                    request.getLeaseDurationSecs())).build();
        });
    }

    @Override
    public void complete(CompleteRequest request, StreamObserver<CompleteResponse> response) {
        Caller caller = caller();
        unary(response, () -> complete(caller, request).join());
    }

    @Override
    public void fail(FailRequest request, StreamObserver<FailResponse> response) {
        Caller caller = caller();
        unary(response, () -> fail(caller, request).join());
    }

    @Override
    public void renewLease(RenewLeaseRequest request, StreamObserver<RenewLeaseResponse> response) {
        Caller caller = caller();
        unary(response, () -> renew(caller, request).join());
    }

    /** An unknown job answers OK with {@code job} unset, as the contract says. */
    @Override
    public void getJob(GetJobRequest request, StreamObserver<GetJobResponse> response) {
        unary(response, () -> {
            Caller caller = caller();
            GetJobResponse.Builder answer = GetJobResponse.newBuilder();
            Ids.parse(request.getJobId()).flatMap(id -> jobs.get(caller.organizationId(), id))
                    .filter(job -> caller.reaches(job.queueName()))
                    .ifPresent(job -> answer.setJob(SpooledJobs.of(job)));
            return answer.build();
        });
    }

    /** An unknown queue answers zeros with its name; {@code total} counts every state, completed too. */
    @Override
    public void getQueueStats(GetQueueStatsRequest request, StreamObserver<GetQueueStatsResponse> response) {
        unary(response, () -> {
            Caller caller = caller();
            String queue = QueueNames.checked(request.getQueueName());
            caller.requireQueue(queue);
            Map<JobState, Long> counts = jobs.countByState(caller.organizationId(), queue, null);
            QueueStats stats = queues.stats(caller.organizationId(), queue);
            return GetQueueStatsResponse.newBuilder().setQueueName(queue)
                    .setPending(counts.get(JobState.PENDING)).setScheduled(counts.get(JobState.SCHEDULED))
                    .setProcessing(counts.get(JobState.PROCESSING)).setCompleted(counts.get(JobState.COMPLETED))
                    .setFailed(counts.get(JobState.FAILED)).setDeadletter(counts.get(JobState.DEADLETTER))
                    .setTotal(counts.values().stream().mapToLong(Long::longValue).sum())
                    .setMaxAgeMs(stats.maxJobAgeSeconds() * 1000).build();
        });
    }

    /** Pushes the queue's jobs, one leased job at a time, while the client reads; ends when the client cancels. */
    @Override
    public void streamJobs(StreamJobsRequest request, StreamObserver<Job> response) {
        Caller caller = caller();
        Worker worker;
        try {
            rateLimits.admit(caller);
            worker = worker(caller, request.getQueueName(), request.getWorkerId());
        } catch (ApiException e) {
            response.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        }
        ServerCallStreamObserver<Job> stream = (ServerCallStreamObserver<Job>) response;
        Object readable = new Object();
        stream.setOnReadyHandler(() -> {
            synchronized (readable) {
                readable.notifyAll();
            }
        });
        Thread.ofVirtual().name("spooled-stream-" + worker.id()).start(() -> {
            try {
                while (!stream.isCancelled()) {
                    if (!stream.isReady()) {
                        synchronized (readable) {
                            readable.wait(WAIT.toMillis());
                        }
                        continue;
                    }
                    List<Job> pushed = claim(caller, worker, 1, request.getLeaseDurationSecs());
                    if (pushed.isEmpty()) {
                        source.awaitDue(caller.organizationId(), worker.queueName(), WAIT);
                    } else {
                        pushed.forEach(stream::onNext);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (StatusRuntimeException e) {
                // the client went away
            } catch (RuntimeException e) {
                log.warn("StreamJobs for worker {} ended", worker.id(), e);
                stream.onError(Status.INTERNAL.withDescription("the stream failed; open a new one").asRuntimeException());
            }
        });
    }

    /**
     * One stream for the whole conversation: each {@code dequeue} asks for up to
     * {@code batch_size} jobs, pushed as {@code job} answers as they arrive; {@code complete},
     * {@code fail} and {@code renew_lease} are answered in turn; a refused request gets an
     * {@code error} answer and the stream goes on.
     */
    @Override
    public StreamObserver<ProcessRequest> processJobs(StreamObserver<ProcessResponse> responses) {
        return new ProcessConversation(caller(), (ServerCallStreamObserver<ProcessResponse>) responses);
    }

    private final class ProcessConversation implements StreamObserver<ProcessRequest> {

        private final Caller caller;
        private final ServerCallStreamObserver<ProcessResponse> out;
        /** Jobs pushed on this stream and not yet completed or failed on it: their worker, by job. */
        private final Map<UUID, UUID> held = new ConcurrentHashMap<>();
        private volatile boolean open = true;

        ProcessConversation(Caller caller, ServerCallStreamObserver<ProcessResponse> out) {
            this.caller = caller;
            this.out = out;
        }

        @Override
        public void onNext(ProcessRequest request) {
            try {
                rateLimits.admit(caller); // each message of the conversation is one request, as over REST
                switch (request.getRequestCase()) {
                    case DEQUEUE -> dequeue(request.getDequeue());
                    // Answered once the group commit holding them is done, without holding up the stream.
                    case COMPLETE -> {
                        Ids.parse(request.getComplete().getJobId()).ifPresent(held::remove);
                        answerLater(complete(caller, request.getComplete()),
                                done -> ProcessResponse.newBuilder().setComplete(done).build());
                    }
                    case FAIL -> {
                        Ids.parse(request.getFail().getJobId()).ifPresent(held::remove);
                        answerLater(fail(caller, request.getFail()),
                                failed -> ProcessResponse.newBuilder().setFail(failed).build());
                    }
                    case RENEW_LEASE -> answerLater(renew(caller, request.getRenewLease()),
                            renewed -> ProcessResponse.newBuilder().setRenewLease(renewed).build());
                    case REQUEST_NOT_SET -> throw ApiException.validation("a request names dequeue, complete, fail or renew_lease");
                }
            } catch (ApiException e) {
                sendError(GrpcStatuses.of(e).getCode().name(), e.getMessage());
            } catch (StatusRuntimeException e) {
                sendError(e.getStatus().getCode().name(), e.getStatus().getDescription());
            }
        }

        private <T> void answerLater(CompletableFuture<T> outcome, Function<T, ProcessResponse> answer) {
            outcome.whenComplete((value, failure) -> {
                if (failure == null) {
                    send(answer.apply(value));
                    return;
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                switch (cause) {
                    case ApiException e -> sendError(GrpcStatuses.of(e).getCode().name(), e.getMessage());
                    case StatusRuntimeException e -> sendError(e.getStatus().getCode().name(), e.getStatus().getDescription());
                    default -> sendError(Status.Code.INTERNAL.name(), "internal error; retry");
                }
            });
        }

        private void dequeue(DequeueRequest request) {
            Worker worker = worker(caller, request.getQueueName(), request.getWorkerId());
            int wanted = request.getBatchSize() == 0 ? 1 : request.getBatchSize();
            if (wanted < 1 || wanted > MAX_BATCH) {
                throw ApiException.validation("batch_size must be between 1 and " + MAX_BATCH);
            }
            List<Job> now = claim(caller, worker, wanted, request.getLeaseDurationSecs());
            push(worker, now);
            int missing = wanted - now.size();
            if (missing > 0) {
                // The rest are pushed as they arrive, without holding up the conversation.
                Thread.ofVirtual().name("spooled-process-" + worker.id()).start(() -> await(worker, missing,
                        request.getLeaseDurationSecs()));
            }
        }

        private void await(Worker worker, int missing, int leaseSecs) {
            int left = missing;
            try {
                while (left > 0 && open && !out.isCancelled()) {
                    List<Job> arrived = claim(caller, worker, left, leaseSecs);
                    if (arrived.isEmpty()) {
                        source.awaitDue(caller.organizationId(), worker.queueName(), WAIT);
                    }
                    push(worker, arrived);
                    left -= arrived.size();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("ProcessJobs could not push jobs to worker {}", worker.id(), e);
            }
        }

        /** Sends leased jobs; one leased as the stream ended goes back to its queue at once. */
        private void push(Worker worker, List<Job> jobs) {
            List<UUID> orphans = new ArrayList<>();
            for (Job job : jobs) {
                UUID id = UUID.fromString(job.getId());
                synchronized (this) {
                    if (open && !out.isCancelled()) {
                        held.put(id, worker.id());
                        out.onNext(ProcessResponse.newBuilder().setJob(job).build());
                    } else {
                        orphans.add(id);
                    }
                }
            }
            if (!orphans.isEmpty()) {
                leases.releaseJobs(worker.id(), orphans, STREAM_ENDED);
            }
        }

        /** The stream ended (the worker died, or hung up): what it held goes back to the queues now, not at lease expiry. */
        private void releaseHeld() {
            Map<UUID, List<UUID>> byWorker = new HashMap<>();
            held.forEach((job, worker) -> byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(job));
            held.clear();
            if (!byWorker.isEmpty()) {
                Thread.ofVirtual().name("spooled-release").start(() -> byWorker.forEach((worker, jobs) -> {
                    try {
                        leases.releaseJobs(worker, jobs, STREAM_ENDED);
                    } catch (RuntimeException e) {
                        log.warn("Could not take back {} jobs of worker {}; their leases will expire", jobs.size(),
                                worker, e);
                    }
                }));
            }
        }

        private void sendError(String code, String message) {
            send(ProcessResponse.newBuilder().setError(ErrorResponse.newBuilder().setCode(code)
                    .setMessage(message == null ? "" : message)).build());
        }

        private void send(ProcessResponse response) {
            synchronized (this) {
                if (open && !out.isCancelled()) {
                    out.onNext(response);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                open = false;
            }
            releaseHeld();
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                open = false;
                out.onCompleted();
            }
            releaseHeld();
        }
    }

    private List<Job> claim(Caller caller, Worker worker, int limit, int leaseSecs) {
        Duration lease = LeaseDurations.checked(leaseSecs, "lease_duration_secs");
        List<LeasedJob> leased = claims.claim(caller.organizationId(), worker.queueName(), worker.id(), limit, lease);
        return leased.stream().map(job -> SpooledJobs.of(job, worker.id())).toList();
    }

    private CompletableFuture<CompleteResponse> complete(Caller caller, CompleteRequest request) {
        UUID workerId = workerId(request.getWorkerId());
        UUID jobId = jobId(caller, request.getJobId());
        String result = request.hasResult() ? SpooledJobs.json(request.getResult()) : null;
        return leaseWriter.submit(new LeaseCall.Complete(caller.organizationId(), jobId, workerId, leaseId(request.getLeaseId()),
                result)).thenApply(outcome -> {
                    refuseUnless(outcome);
                    return CompleteResponse.newBuilder().setSuccess(true).build();
                });
    }

    /** {@code retry=false} dead-letters now; an error longer than 2,048 characters is cut. */
    private CompletableFuture<FailResponse> fail(Caller caller, FailRequest request) {
        UUID workerId = workerId(request.getWorkerId());
        UUID jobId = jobId(caller, request.getJobId());
        String error = request.getError().isBlank() ? "failed" : request.getError();
        error = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        return leaseWriter.submit(new LeaseCall.Fail(caller.organizationId(), jobId, workerId, leaseId(request.getLeaseId()),
                error, request.getRetry())).thenApply(outcome -> {
                    refuseUnless(outcome);
                    return outcome instanceof LeaseOutcome.WillRetry(Duration delay)
                            ? FailResponse.newBuilder().setSuccess(true).setWillRetry(true)
                                    .setNextRetryDelaySecs((int) delay.toSeconds()).build()
                            : FailResponse.newBuilder().setSuccess(true).setWillRetry(false).build();
                });
    }

    /** Renewing a lease one does not hold answers OK with {@code success=false}, as the contract says. */
    private CompletableFuture<RenewLeaseResponse> renew(Caller caller, RenewLeaseRequest request) {
        UUID workerId = workerId(request.getWorkerId());
        UUID jobId = jobId(caller, request.getJobId());
        Duration extension = LeaseDurations.checked(request.getExtensionSecs(), "extension_secs");
        return leaseWriter.submit(new LeaseCall.Extend(caller.organizationId(), jobId, workerId, leaseId(request.getLeaseId()),
                extension)).thenApply(outcome -> {
                    if (outcome instanceof LeaseOutcome.Extended(Instant until)) {
                        return RenewLeaseResponse.newBuilder().setSuccess(true)
                                .setNewExpiresAt(SpooledJobs.timestamp(until)).build();
                    }
                    if (!(outcome instanceof LeaseOutcome.NotOwned)) {
                        refuseUnless(outcome);
                    }
                    return RenewLeaseResponse.newBuilder().setSuccess(false).build();
                });
    }

    private static void refuseUnless(LeaseOutcome outcome) {
        switch (outcome) {
            case LeaseOutcome.NotFound notFound -> throw Status.NOT_FOUND.withDescription("Job not found").asRuntimeException();
            case LeaseOutcome.NotOwned notOwned ->
                    throw Status.NOT_FOUND.withDescription("Job not found among this worker's leases").asRuntimeException();
            case LeaseOutcome.LeaseExpired expired -> throw Status.FAILED_PRECONDITION
                    .withDescription("The lease is over (expired, taken back or replaced)").asRuntimeException();
            case LeaseOutcome.AlreadyCompleted done ->
                    throw Status.FAILED_PRECONDITION.withDescription("Job is already completed").asRuntimeException();
            default -> {
            }
        }
    }

    private Worker worker(Caller caller, String queueName, String workerId) {
        String queue = QueueNames.checked(queueName);
        caller.requireQueue(queue);
        UUID id = workerId(workerId);
        Worker worker = workers.get(caller.organizationId(), id)
                .orElseThrow(() -> ApiException.notFound("Worker ID " + workerId + " not found"));
        if (!worker.queueName().equals(queue)) {
            throw ApiException.validation("Worker ID " + workerId + " is registered for queue '" + worker.queueName()
                    + "', not '" + queue + "'");
        }
        return worker;
    }

    /** The job named; its organization is checked with its lease, so only a key limited to some queues costs a read here. */
    private UUID jobId(Caller caller, String id) {
        if (caller.reachesAllQueues()) {
            return Ids.parse(id).orElseThrow(() -> ApiException.notFound("Job " + id + " not found"));
        }
        return Ids.parse(id).flatMap(uuid -> jobs.get(caller.organizationId(), uuid))
                .filter(job -> caller.reaches(job.queueName()))
                .map(JobRecord::id)
                .orElseThrow(() -> ApiException.notFound("Job " + id + " not found"));
    }

    private static UUID workerId(String workerId) {
        if (workerId == null || workerId.isBlank()) {
            throw ApiException.validation("Worker ID is required");
        }
        return Ids.parse(workerId.strip()).orElseThrow(() -> ApiException.notFound("Worker ID " + workerId + " not found"));
    }

    /** Empty: fenced by the worker's id. */
    private static UUID leaseId(String leaseId) {
        if (leaseId == null || leaseId.isBlank()) {
            return null;
        }
        return Ids.parse(leaseId.strip()).orElseThrow(() -> Status.FAILED_PRECONDITION
                .withDescription("lease_id names no lease of this job").asRuntimeException());
    }

    private static Integer zeroToNull(int value) {
        return value == 0 ? null : value;
    }

    private static Caller caller() {
        return ApiKeyServerInterceptor.CALLER.get();
    }

    /** A unary call: counted against the key's rate limit, then answered or refused with its status. */
    private <R> void unary(StreamObserver<R> response, Supplier<R> work) {
        R answer;
        try {
            rateLimits.admit(caller());
            answer = work.get();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            switch (cause) {
                case ApiException refused -> response.onError(GrpcStatuses.of(refused).asRuntimeException());
                case StatusRuntimeException status -> response.onError(status);
                default -> {
                    log.error("A spooled.v1 call failed", cause);
                    response.onError(Status.INTERNAL.withDescription("internal error; retry").asRuntimeException());
                }
            }
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }
}
