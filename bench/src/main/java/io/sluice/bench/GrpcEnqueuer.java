package io.sluice.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.sluice.proto.sluice.v1.EnqueueJobRequest;
import io.sluice.proto.sluice.v1.EnqueueJobResult;
import io.sluice.proto.sluice.v1.IngestServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gRPC load generator: {@code streams} bidirectional {@code EnqueueJobs} streams, each on a
 * connection of its own (as producers on several hosts would be), each sending its share of the jobs as fast as the stream's flow control lets it (a request is sent
 * only while the transport is ready, so the producer never piles requests up in memory), as a
 * well-behaved producer service would.
 */
final class GrpcEnqueuer {

    /**
     * @param accepted        jobs answered with an id
     * @param refused         jobs answered with an error
     * @param firstError      the first error's code and message; null when none
     * @param firstSendNanos  when the first job was sent
     * @param lastResultNanos when the last result arrived
     */
    record Result(int accepted, int refused, String firstError, long firstSendNanos, long lastResultNanos) {

        double jobsPerSecond() {
            return accepted / ((lastResultNanos - firstSendNanos) / 1e9);
        }
    }

    private final String host;
    private final int port;
    private final String apiKey;
    private final String queue;
    private final PayloadFactory payloads;
    private final int jobs;
    private final int streams;
    private final AtomicInteger answered = new AtomicInteger();

    GrpcEnqueuer(String host, int port, String apiKey, String queue, PayloadFactory payloads, int jobs, int streams) {
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
        this.queue = queue;
        this.payloads = payloads;
        this.jobs = jobs;
        this.streams = streams;
    }

    int answeredCount() {
        return answered.get();
    }

    Result run(Runnable progress, long progressMillis) throws Exception {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        List<ManagedChannel> channels = new ArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastResult = new AtomicLong(Long.MIN_VALUE);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int from = (int) ((long) jobs * s / streams);
            int to = (int) ((long) jobs * (s + 1) / streams);
            CompletableFuture<Void> streamDone = new CompletableFuture<>();
            done.add(streamDone);
            ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
            channels.add(channel);
            IngestServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                    .enqueueJobs(new ClientResponseObserver<EnqueueJobRequest, EnqueueJobResult>() {
                private int next = from;
                private boolean halfClosed;

                @Override
                public void beforeStart(ClientCallStreamObserver<EnqueueJobRequest> requests) {
                    requests.setOnReadyHandler(() -> {
                        while (requests.isReady() && next < to) {
                            long now = System.nanoTime();
                            firstSend.accumulateAndGet(now, Math::min);
                            // As bytes, encoded once: a string field is UTF-8 encoded twice (size, then write).
                            requests.onNext(EnqueueJobRequest.newBuilder().setQueueName(queue)
                                    .setPayloadJsonBytes(ByteString.copyFromUtf8(payloads.payload(next, now))).build());
                            next++;
                        }
                        if (next == to && !halfClosed) {
                            halfClosed = true;
                            requests.onCompleted();
                        }
                    });
                }

                @Override
                public void onNext(EnqueueJobResult result) {
                    if (result.hasEnqueued()) {
                        accepted.incrementAndGet();
                    } else {
                        refused.incrementAndGet();
                        firstError.compareAndSet(null, result.getError().getCode() + ": " + result.getError().getMessage());
                    }
                    answered.incrementAndGet();
                    lastResult.accumulateAndGet(System.nanoTime(), Math::max);
                }

                @Override
                public void onError(Throwable t) {
                    streamDone.completeExceptionally(new BenchFailure("gRPC stream failed: " + t, t));
                }

                @Override
                public void onCompleted() {
                    streamDone.complete(null);
                }
            });
        }
        try {
            awaitAll(done, progress, progressMillis);
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        return new Result(accepted.get(), refused.get(), firstError.get(), firstSend.get(), lastResult.get());
    }

    private static void awaitAll(List<CompletableFuture<Void>> done, Runnable progress, long progressMillis)
            throws Exception {
        CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        while (true) {
            try {
                all.get(progressMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                progress.run();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof BenchFailure failure ? failure
                        : new BenchFailure("gRPC enqueue failed: " + e.getCause(), e.getCause());
            }
        }
    }
}
