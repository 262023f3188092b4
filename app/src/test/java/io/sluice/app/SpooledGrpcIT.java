package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.spooled.v1.CompleteRequest;
import io.sluice.proto.spooled.v1.DequeueRequest;
import io.sluice.proto.spooled.v1.DeregisterRequest;
import io.sluice.proto.spooled.v1.EnqueueRequest;
import io.sluice.proto.spooled.v1.EnqueueResponse;
import io.sluice.proto.spooled.v1.FailRequest;
import io.sluice.proto.spooled.v1.FailResponse;
import io.sluice.proto.spooled.v1.GetJobRequest;
import io.sluice.proto.spooled.v1.GetQueueStatsRequest;
import io.sluice.proto.spooled.v1.GetQueueStatsResponse;
import io.sluice.proto.spooled.v1.HeartbeatRequest;
import io.sluice.proto.spooled.v1.Job;
import io.sluice.proto.spooled.v1.JobStatus;
import io.sluice.proto.spooled.v1.ProcessRequest;
import io.sluice.proto.spooled.v1.ProcessResponse;
import io.sluice.proto.spooled.v1.QueueServiceGrpc;
import io.sluice.proto.spooled.v1.RegisterWorkerRequest;
import io.sluice.proto.spooled.v1.RegisterWorkerResponse;
import io.sluice.proto.spooled.v1.RenewLeaseRequest;
import io.sluice.proto.spooled.v1.StreamJobsRequest;
import io.sluice.proto.spooled.v1.WorkerServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/** {@code spooled.v1}: the queue and worker services existing Spooled clients speak, with the contract's edge cases. */
class SpooledGrpcIT extends SluiceIntegrationTest {

    @Autowired
    GrpcServerLifecycle grpcServer;

    private ManagedChannel channel;
    private QueueServiceGrpc.QueueServiceBlockingStub queues;
    private WorkerServiceGrpc.WorkerServiceBlockingStub workers;
    private QueueServiceGrpc.QueueServiceStub async;

    @BeforeEach
    void openChannel() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
        SluiceClient.Tenant tenant = client.newOrganization(unique("spooled"));
        Metadata key = new Metadata();
        key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), tenant.apiKey());
        queues = QueueServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        workers = WorkerServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        async = QueueServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void enqueueDequeueCompleteAndReadTheJobBack() {
        String worker = register("thumbs");
        EnqueueRequest enqueue = EnqueueRequest.newBuilder().setQueueName("thumbs").setPayload(struct("image", "a.png"))
                .setPriority(3).setIdempotencyKey("img-a").build();

        EnqueueResponse first = queues.enqueue(enqueue);
        EnqueueResponse again = queues.enqueue(enqueue);
        Job job = dequeue("thumbs", worker, 1).getFirst();

        assertThat(first.getCreated()).isTrue();
        assertThat(again.getCreated()).isFalse();
        assertThat(again.getJobId()).isEqualTo(first.getJobId());
        assertThat(job.getId()).isEqualTo(first.getJobId());
        assertThat(job.getStatus()).isEqualTo(JobStatus.JOB_STATUS_PROCESSING);
        assertThat(job.getPayload().getFieldsOrThrow("image").getStringValue()).isEqualTo("a.png");
        assertThat(job.getPriority()).isEqualTo(3);
        assertThat(job.getLeaseId()).isNotEmpty();
        assertThat(job.getAssignedWorkerId()).isEqualTo(worker);
        assertThat(job.getIdempotencyKey()).isEqualTo("img-a");
        assertThat(job.hasCreatedAt()).isTrue();
        assertThat(job.getStartedAt().getSeconds()).isGreaterThanOrEqualTo(job.getCreatedAt().getSeconds());
        assertThat(job.getLeaseExpiresAt().getSeconds()).isGreaterThan(job.getStartedAt().getSeconds());

        // an empty lease_id is fenced by the worker
        assertThat(queues.complete(CompleteRequest.newBuilder().setJobId(job.getId()).setWorkerId(worker)
                .setResult(struct("thumbnail", "a-small.png")).build()).getSuccess()).isTrue();

        Job done = queues.getJob(GetJobRequest.newBuilder().setJobId(job.getId()).build()).getJob();
        assertThat(done.getStatus()).isEqualTo(JobStatus.JOB_STATUS_COMPLETED);
        assertThat(done.getResult().getFieldsOrThrow("thumbnail").getStringValue()).isEqualTo("a-small.png");
        assertThat(done.hasCompletedAt()).isTrue();
        assertThat(queues.getJob(GetJobRequest.newBuilder().setJobId(UUID.randomUUID().toString()).build()).hasJob())
                .isFalse();
        GetQueueStatsResponse stats = queues.getQueueStats(GetQueueStatsRequest.newBuilder().setQueueName("thumbs").build());
        assertThat(stats.getCompleted()).isEqualTo(1);
        assertThat(stats.getTotal()).isEqualTo(1);
        GetQueueStatsResponse none = queues.getQueueStats(GetQueueStatsRequest.newBuilder().setQueueName("nothing").build());
        assertThat(none.getQueueName()).isEqualTo("nothing");
        assertThat(none.getTotal()).isZero();
    }

    @Test
    void failWithoutRetryDeadLettersAndALongErrorIsCut() {
        String worker = register("mail");
        String id = queues.enqueue(EnqueueRequest.newBuilder().setQueueName("mail").setPayload(struct("to", "x")).build())
                .getJobId();
        Job job = dequeue("mail", worker, 1).getFirst();

        FailResponse failed = queues.fail(FailRequest.newBuilder().setJobId(id).setWorkerId(worker)
                .setLeaseId(job.getLeaseId()).setError("e".repeat(5_000)).setRetry(false).build());

        assertThat(failed.getSuccess()).isTrue();
        assertThat(failed.getWillRetry()).isFalse();
        Job dead = queues.getJob(GetJobRequest.newBuilder().setJobId(id).build()).getJob();
        assertThat(dead.getStatus()).isEqualTo(JobStatus.JOB_STATUS_DEADLETTER);
        assertThat(dead.getLastError()).hasSize(2048);
    }

    @Test
    void aFailureWithRetryTellsTheTrueDelayAndLeasesAreFenced() {
        String worker = register("retry");
        String stranger = register("retry");
        String id = queues.enqueue(EnqueueRequest.newBuilder().setQueueName("retry").setPayload(struct("n", "1"))
                .setMaxRetries(2).build()).getJobId();
        Job job = dequeue("retry", worker, 1).getFirst();

        assertThat(queues.renewLease(RenewLeaseRequest.newBuilder().setJobId(id).setWorkerId(stranger)
                .setExtensionSecs(60).build()).getSuccess()).isFalse();
        assertThat(queues.renewLease(RenewLeaseRequest.newBuilder().setJobId(id).setWorkerId(worker)
                .setLeaseId(job.getLeaseId()).setExtensionSecs(60).build()).getSuccess()).isTrue();
        assertThatThrownBy(() -> queues.complete(CompleteRequest.newBuilder().setJobId(id).setWorkerId(worker)
                .setLeaseId(UUID.randomUUID().toString()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));

        FailResponse failed = queues.fail(FailRequest.newBuilder().setJobId(id).setWorkerId(worker)
                .setLeaseId(job.getLeaseId()).setError("busy").setRetry(true).build());

        assertThat(failed.getWillRetry()).isTrue();
        assertThat(failed.getNextRetryDelaySecs()).isEqualTo(1);
        assertThat(dequeue("retry", worker, 1).getFirst().getRetryCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitedKeyGetsItsLimitPerMinuteOverBothServices() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("spooled-limited"));
        String limited = client.post(tenant.apiKey(), "/api/v1/api-keys", "{\"name\":\"slow\",\"rate_limit\":3}")
                .body().get("key").asString();
        Metadata key = new Metadata();
        key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), limited);
        QueueServiceGrpc.QueueServiceBlockingStub slowQueues = QueueServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key)).withDeadlineAfter(60, TimeUnit.SECONDS);
        WorkerServiceGrpc.WorkerServiceBlockingStub slowWorkers = WorkerServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key)).withDeadlineAfter(60, TimeUnit.SECONDS);

        // three calls a minute, over either service
        slowWorkers.register(RegisterWorkerRequest.newBuilder().setQueueName("slow").setHostname("h").build());
        slowQueues.getQueueStats(GetQueueStatsRequest.newBuilder().setQueueName("slow").build());
        slowQueues.enqueue(EnqueueRequest.newBuilder().setQueueName("slow").setPayload(struct("n", "1")).build());

        assertStatus(() -> slowQueues.getQueueStats(GetQueueStatsRequest.newBuilder().setQueueName("slow").build()),
                Status.Code.RESOURCE_EXHAUSTED, "3 requests a minute");
        assertStatus(() -> slowWorkers.register(RegisterWorkerRequest.newBuilder().setQueueName("slow")
                .setHostname("h").build()), Status.Code.RESOURCE_EXHAUSTED, "3 requests a minute");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void statusesNameTheProblemAsClientsExpect() {
        String worker = register("named");
        assertStatus(() -> queues.dequeue(DequeueRequest.newBuilder().setWorkerId(worker).build()),
                Status.Code.INVALID_ARGUMENT, "Queue name");
        assertStatus(() -> queues.dequeue(DequeueRequest.newBuilder().setQueueName("bad queue!").setWorkerId(worker).build()),
                Status.Code.INVALID_ARGUMENT, "alphanumeric");
        assertStatus(() -> queues.dequeue(DequeueRequest.newBuilder().setQueueName("named").build()),
                Status.Code.INVALID_ARGUMENT, "Worker ID");
        assertStatus(() -> queues.complete(CompleteRequest.newBuilder().setJobId(UUID.randomUUID().toString())
                .setWorkerId(worker).build()), Status.Code.NOT_FOUND, "not found");
        assertThat(workers.heartbeat(HeartbeatRequest.newBuilder().setWorkerId(UUID.randomUUID().toString()).build())
                .getAcknowledged()).isFalse();
        assertThat(workers.deregister(DeregisterRequest.newBuilder().setWorkerId(UUID.randomUUID().toString()).build())
                .getSuccess()).isFalse();
        assertThat(workers.heartbeat(HeartbeatRequest.newBuilder().setWorkerId(worker).setCurrentJobs(1).build())
                .getAcknowledged()).isTrue();
    }

    @Test
    void streamJobsPushesJobsAsTheyArrive() throws Exception {
        String worker = register("push");
        BlockingQueue<Job> pushed = new LinkedBlockingQueue<>();
        async.streamJobs(StreamJobsRequest.newBuilder().setQueueName("push").setWorkerId(worker).build(),
                collector(pushed));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(queues.enqueue(EnqueueRequest.newBuilder().setQueueName("push").setPayload(struct("i", "" + i))
                    .build()).getJobId());
        }

        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Job job = pushed.poll(60, TimeUnit.SECONDS);
            assertThat(job).isNotNull();
            received.add(job.getId());
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void processJobsCarriesTheConversationAndADroppedStreamsJobComesBack() throws Exception {
        String worker = register("conversation");
        String heir = register("conversation");
        String first = queues.enqueue(EnqueueRequest.newBuilder().setQueueName("conversation").setPayload(struct("n", "1"))
                .build()).getJobId();
        BlockingQueue<ProcessResponse> answers = new LinkedBlockingQueue<>();
        StreamObserver<ProcessRequest> requests = async.processJobs(collector(answers));

        requests.onNext(ProcessRequest.newBuilder().setDequeue(DequeueRequest.newBuilder().setQueueName("conversation")
                .setWorkerId(worker).setLeaseDurationSecs(5)).build());
        ProcessResponse job = answers.poll(60, TimeUnit.SECONDS);
        assertThat(job).isNotNull();
        assertThat(job.getJob().getId()).isEqualTo(first);
        requests.onNext(ProcessRequest.newBuilder().setComplete(CompleteRequest.newBuilder().setJobId(first)
                .setWorkerId(worker).setLeaseId(job.getJob().getLeaseId())).build());
        assertThat(answers.poll(30, TimeUnit.SECONDS).getComplete().getSuccess()).isTrue();
        requests.onNext(ProcessRequest.newBuilder().setComplete(CompleteRequest.newBuilder().setJobId(first)
                .setWorkerId(worker)).build());
        assertThat(answers.poll(30, TimeUnit.SECONDS).getError().getCode()).isEqualTo("FAILED_PRECONDITION");

        // when: a second job is pushed, then the worker dies (its stream is cancelled)
        String second = queues.enqueue(EnqueueRequest.newBuilder().setQueueName("conversation")
                .setPayload(struct("n", "2")).build()).getJobId();
        requests.onNext(ProcessRequest.newBuilder().setDequeue(DequeueRequest.newBuilder().setQueueName("conversation")
                .setWorkerId(worker).setLeaseDurationSecs(3600)).build());
        assertThat(answers.poll(60, TimeUnit.SECONDS).getJob().getId()).isEqualTo(second);
        requests.onError(new RuntimeException("worker killed"));

        // then: another worker gets it at once, long before its hour-long lease would have run out
        Job redelivered = dequeue("conversation", heir, 1).getFirst();
        assertThat(redelivered.getId()).isEqualTo(second);
        assertThat(redelivered.getRetryCount()).isEqualTo(1);
    }

    private String register(String queue) {
        RegisterWorkerResponse registered = workers.register(RegisterWorkerRequest.newBuilder().setQueueName(queue)
                .setHostname("grpc-host").putMetadata("pid", "7").build());
        assertThat(registered.getLeaseDurationSecs()).isEqualTo(30);
        return registered.getWorkerId();
    }

    /** Dequeues until {@code count} jobs came (the feed brings them within moments). */
    private List<Job> dequeue(String queue, String worker, int count) {
        List<Job> jobs = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            jobs.addAll(queues.dequeue(DequeueRequest.newBuilder().setQueueName(queue).setWorkerId(worker)
                    .setBatchSize(count - jobs.size()).build()).getJobsList());
            return jobs.size() >= count;
        });
        return jobs;
    }

    private static void assertStatus(Runnable call, Status.Code code, String text) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(text);
        });
    }

    private static Struct struct(String key, String value) {
        return Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build()).build();
    }

    private static <T> StreamObserver<T> collector(BlockingQueue<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
