package io.sluice.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.sluice.proto.sluice.v1.EnqueueJobBatch;
import io.sluice.proto.sluice.v1.EnqueueJobBatchResult;
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
 * The gRPC load generator: {@code streams} bidirectional {@code EnqueueJobs} (a job per message)
 * or {@code EnqueueJobBatches} streams, each on a connection of its own (as producers on several
 * hosts would be), each sending its share of the jobs as fast as the stream's flow control lets
 * it (a message is sent only while the transport is ready, so the producer never piles requests
 * up in memory), as a well-behaved producer service would.
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
    private final int batchSize;
    private final AtomicInteger answered = new AtomicInteger();

    /** @param batchSize 1: one job per stream message ({@code EnqueueJobs}); more: {@code EnqueueJobBatches} */
    GrpcEnqueuer(String host, int port, String apiKey, String queue, PayloadFactory payloads, int jobs, int streams,
                 int batchSize) {
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
        this.queue = queue;
        this.payloads = payloads;
        this.jobs = jobs;
        this.streams = streams;
        this.batchSize = batchSize;
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
            IngestServiceGrpc.IngestServiceStub stub = IngestServiceGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
            Tally tally = new Tally(accepted, refused, firstError, firstSend, lastResult, streamDone);
            if (batchSize > 1) {
                stub.enqueueJobBatches(batchObserver(from, to, tally));
            } else {
                stub.enqueueJobs(itemObserver(from, to, tally));
            }
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

    /** What every stream of a run adds to. */
    private record Tally(AtomicInteger accepted, AtomicInteger refused, AtomicReference<String> firstError,
                         AtomicLong firstSend, AtomicLong lastResult, CompletableFuture<Void> done) {

        void count(EnqueueJobResult result) {
            if (result.hasEnqueued()) {
                accepted.incrementAndGet();
            } else {
                refused.incrementAndGet();
                firstError.compareAndSet(null, result.getError().getCode() + ": " + result.getError().getMessage());
            }
            lastResult.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    private EnqueueJobRequest request(int seq, long now) {
        // As bytes, encoded once: a string field is UTF-8 encoded twice (size, then write).
        return EnqueueJobRequest.newBuilder().setQueueName(queue)
                .setPayloadJsonBytes(ByteString.copyFromUtf8(payloads.payload(seq, now))).build();
    }

    /**
     * Sends jobs {@code next} to {@code to} on one stream, as fast as the stream's flow control
     * lets it, and tallies their results.
     */
    private abstract class Feeder<Q, R> implements ClientResponseObserver<Q, R> {

        final Tally tally;
        int next;
        final int to;
        private boolean halfClosed;

        Feeder(int from, int to, Tally tally) {
            this.next = from;
            this.to = to;
            this.tally = tally;
        }

        /** The next stream message, from job {@code next} on; advances {@code next}. */
        abstract Q take(long now);

        abstract void tallyResult(R result);

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requests) {
            requests.setOnReadyHandler(() -> {
                while (requests.isReady() && next < to) {
                    long now = System.nanoTime();
                    tally.firstSend().accumulateAndGet(now, Math::min);
                    requests.onNext(take(now));
                }
                if (next == to && !halfClosed) {
                    halfClosed = true;
                    requests.onCompleted();
                }
            });
        }

        @Override
        public void onNext(R result) {
            tallyResult(result);
        }

        @Override
        public void onError(Throwable t) {
            tally.done().completeExceptionally(new BenchFailure("gRPC stream failed: " + t, t));
        }

        @Override
        public void onCompleted() {
            tally.done().complete(null);
        }
    }

    /** Jobs {@code from} to {@code to}, one per stream message. */
    private Feeder<EnqueueJobRequest, EnqueueJobResult> itemObserver(int from, int to, Tally tally) {
        return new Feeder<>(from, to, tally) {
            @Override
            EnqueueJobRequest take(long now) {
                return request(next++, now);
            }

            @Override
            void tallyResult(EnqueueJobResult result) {
                tally.count(result);
                answered.incrementAndGet();
            }
        };
    }

    /** Jobs {@code from} to {@code to}, {@code batchSize} per stream message. */
    private Feeder<EnqueueJobBatch, EnqueueJobBatchResult> batchObserver(int from, int to, Tally tally) {
        return new Feeder<>(from, to, tally) {
            @Override
            EnqueueJobBatch take(long now) {
                EnqueueJobBatch.Builder batch = EnqueueJobBatch.newBuilder();
                for (int end = Math.min(to, next + batchSize); next < end; next++) {
                    batch.addJobs(request(next, now));
                }
                return batch.build();
            }

            @Override
            void tallyResult(EnqueueJobBatchResult result) {
                if (result.hasError()) {
                    tally.done().completeExceptionally(new BenchFailure("a batch was refused: "
                            + result.getError().getMessage(), null));
                    return;
                }
                result.getResultsList().forEach(tally::count);
                answered.addAndGet(result.getResultsCount());
            }
        };
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
