package io.sluice.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.spooled.v1.CompleteRequest;
import io.sluice.proto.spooled.v1.DequeueRequest;
import io.sluice.proto.spooled.v1.ProcessRequest;
import io.sluice.proto.spooled.v1.ProcessResponse;
import io.sluice.proto.spooled.v1.QueueServiceGrpc;
import io.sluice.proto.spooled.v1.RegisterWorkerRequest;
import io.sluice.proto.spooled.v1.WorkerServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * External workers on {@code spooled.v1} {@code ProcessJobs} streams, each over its own channel:
 * every worker asks for {@code batch} jobs, completes each as it arrives, and asks for the next
 * batch as soon as the previous one has all arrived, until the fleet completed {@code jobs}.
 */
final class WorkerFleet {

    /** What a fleet did. */
    record Result(long completed, long errors, double seconds, String firstError) {

        double jobsPerSecond() {
            return completed / seconds;
        }
    }

    private final String host;
    private final int port;
    private final String apiKey;
    private final String queue;
    private final int workers;
    private final int batch;
    private final AtomicLong completed = new AtomicLong();

    WorkerFleet(String host, int port, String apiKey, String queue, int workers, int batch) {
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
        this.queue = queue;
        this.workers = workers;
        this.batch = batch;
    }

    long completedCount() {
        return completed.get();
    }

    /** Completes {@code jobs} jobs of the queue (already enqueued); waits at most {@code timeoutSeconds}. */
    Result run(long jobs, long timeoutSeconds, Runnable progress, long progressMillis) throws InterruptedException {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        List<ManagedChannel> channels = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        completed.set(0);
        long start = System.nanoTime();
        List<StreamObserver<ProcessRequest>> streams = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                // Answers are handled on the transport's thread: a worker's reaction to a pushed job
                // is to send its completion, cheaper there than handed to an executor thread.
                ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().directExecutor()
                        .build();
                channels.add(channel);
                String workerId = WorkerServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                        .register(RegisterWorkerRequest.newBuilder().setQueueName(queue).setHostname("bench-" + w)
                                .setMaxConcurrency(100).build()).getWorkerId();
                QueueServiceGrpc.QueueServiceStub stub = QueueServiceGrpc.newStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
                Worker worker = new Worker(workerId, jobs, done, errors, firstError);
                worker.requests = stub.processJobs(worker);
                streams.add(worker.requests);
                worker.askForMore();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (!done.await(progressMillis, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                progress.run();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(completed.get(), errors.get(), seconds, firstError.get());
        } finally {
            for (StreamObserver<ProcessRequest> stream : streams) {
                synchronized (stream) {
                    stream.onCompleted();
                }
            }
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** One worker's stream: the answers arrive on a gRPC thread, requests are sent under the stream's lock. */
    private final class Worker implements StreamObserver<ProcessResponse> {

        private final String workerId;
        private final long target;
        private final CountDownLatch done;
        private final AtomicLong errors;
        private final AtomicReference<String> firstError;
        StreamObserver<ProcessRequest> requests;
        private int awaited;

        Worker(String workerId, long target, CountDownLatch done, AtomicLong errors, AtomicReference<String> firstError) {
            this.workerId = workerId;
            this.target = target;
            this.done = done;
            this.errors = errors;
            this.firstError = firstError;
        }

        void askForMore() {
            synchronized (requests) {
                awaited = batch;
                requests.onNext(ProcessRequest.newBuilder().setDequeue(DequeueRequest.newBuilder().setQueueName(queue)
                        .setWorkerId(workerId).setBatchSize(batch).setLeaseDurationSecs(300)).build());
            }
        }

        @Override
        public void onNext(ProcessResponse response) {
            switch (response.getResponseCase()) {
                case JOB -> {
                    synchronized (requests) {
                        requests.onNext(ProcessRequest.newBuilder().setComplete(CompleteRequest.newBuilder()
                                .setJobId(response.getJob().getId()).setWorkerId(workerId)
                                .setLeaseId(response.getJob().getLeaseId())).build());
                        if (--awaited == 0 && completed.get() < target) {
                            askForMore();
                        }
                    }
                }
                case COMPLETE -> {
                    if (completed.incrementAndGet() >= target) {
                        done.countDown();
                    }
                }
                case ERROR -> {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, response.getError().getCode() + ": " + response.getError().getMessage());
                }
                default -> {
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            firstError.compareAndSet(null, t.toString());
        }

        @Override
        public void onCompleted() {
        }
    }
}
