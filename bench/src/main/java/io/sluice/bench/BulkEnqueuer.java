package io.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator: enqueues jobs at positions {@code 0..N-1} through the bulk API (or one job
 * per request, {@link #single}) with a fixed number of requests in flight, and remembers when each job was sent. What a position's job is
 * ({@code seq}, endpoint) is up to the {@link Bodies}; for a plain burst position and {@code seq}
 * are the same.
 *
 * <p>Why a fixed number of workers pulling batches (a closed loop) rather than a target rate: the
 * question the benchmark answers is how fast Sluice can accept and deliver, so the producer must
 * push as hard as {@code concurrency} allows and not a rate chosen in advance. Each worker is a
 * virtual thread doing a blocking call, so "{@code concurrency} requests in flight" is exact.
 *
 * <p>Why the send time is kept here and not read back from the delivered body: the latency is
 * computed against this JVM's own array, so it does not depend on Sluice delivering the payload
 * byte for byte; {@code sent_at_nanos} in the payload is only a debugging aid.
 */
public final class BulkEnqueuer {

    /** Writes the body of one bulk request. */
    @FunctionalInterface
    public interface Bodies {
        /** The body for the jobs at positions {@code from} (inclusive) to {@code to} (exclusive). */
        String body(int from, int to, long sentAtNanos);
    }

    /** Sends one request holding {@code jobs} jobs; throws unless every one was accepted. */
    @FunctionalInterface
    public interface Sender {
        void send(String apiKey, String body, int jobs);
    }

    /**
     * The outcome of an enqueue phase.
     *
     * @param sendNanos per position, the {@link System#nanoTime()} when its bulk request was sent
     * @param firstSendNanos when the first bulk request was sent
     * @param lastResponseNanos when the last bulk response arrived
     * @param requestNanos per request, how long it took to be answered
     */
    public record Result(long[] sendNanos, long firstSendNanos, long lastResponseNanos, long[] requestNanos) {

        /** Jobs accepted per second over the enqueue phase. */
        public double jobsPerSecond() {
            return sendNanos.length / ((lastResponseNanos - firstSendNanos) / 1e9);
        }
    }

    private final Sender sender;
    private final String apiKey;
    private final Bodies bodies;
    private final int jobs;
    private final int bulkSize;
    private final int concurrency;
    private final AtomicInteger enqueued = new AtomicInteger();

    public BulkEnqueuer(SluiceApi api, String apiKey, PayloadFactory payloads, int jobs, int bulkSize,
            int concurrency) {
        this(api, apiKey, payloads::bulkBody, jobs, bulkSize, concurrency);
    }

    public BulkEnqueuer(SluiceApi api, String apiKey, Bodies bodies, int jobs, int bulkSize, int concurrency) {
        this(apiKey, bodies, api::enqueueBulk, jobs, bulkSize, concurrency);
    }

    private BulkEnqueuer(String apiKey, Bodies bodies, Sender sender, int jobs, int bulkSize, int concurrency) {
        this.sender = sender;
        this.apiKey = apiKey;
        this.bodies = bodies;
        this.jobs = jobs;
        this.bulkSize = bulkSize;
        this.concurrency = concurrency;
    }

    /** One job per {@code POST /api/v1/jobs}, {@code concurrency} requests in flight. */
    public static BulkEnqueuer single(SluiceApi api, String apiKey, PayloadFactory payloads, int jobs, int concurrency) {
        return new BulkEnqueuer(apiKey, (from, to, sentAt) -> payloads.singleBody(from, sentAt),
                (key, body, count) -> api.enqueueOne(key, body), jobs, 1, concurrency);
    }

    /** Jobs accepted so far; for progress reports from another thread. */
    public int enqueuedCount() {
        return enqueued.get();
    }

    /**
     * Enqueues all jobs; returns when every bulk request succeeded. The first failure stops all
     * workers and is rethrown as {@link BenchFailure}.
     *
     * @param progress called every {@code progressMillis} on the calling thread while waiting
     */
    public Result run(Runnable progress, long progressMillis) throws InterruptedException {
        long[] sendNanos = new long[jobs];
        int batches = (jobs + bulkSize - 1) / bulkSize;
        long[] requestNanos = new long[batches];
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastResponse = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();

        Runnable worker = () -> {
            int batch;
            while (failure.get() == null && (batch = nextBatch.getAndIncrement()) < batches) {
                int from = batch * bulkSize;
                int to = Math.min(jobs, from + bulkSize);
                long sentAt = System.nanoTime();
                String body = bodies.body(from, to, sentAt);
                for (int position = from; position < to; position++) {
                    sendNanos[position] = sentAt;
                }
                firstSend.accumulateAndGet(sentAt, Math::min);
                try {
                    sender.send(apiKey, body, to - from);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    return;
                }
                long answeredAt = System.nanoTime();
                requestNanos[batch] = answeredAt - sentAt;
                lastResponse.accumulateAndGet(answeredAt, Math::max);
                enqueued.addAndGet(to - from);
            }
        };

        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < Math.min(concurrency, batches); i++) {
                futures.add(executor.submit(worker));
            }
            for (Future<?> future : futures) {
                while (true) {
                    try {
                        future.get(progressMillis, TimeUnit.MILLISECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        progress.run();
                    } catch (ExecutionException e) {
                        failure.compareAndSet(null, new BenchFailure("enqueue worker crashed", e.getCause()));
                        break;
                    }
                }
            }
        }
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed instanceof BenchFailure bench ? bench
                    : new BenchFailure("enqueue failed: " + failed, failed);
        }
        // The workers' writes to sendNanos happen-before their termination, which the executor's
        // close() waits for: the array is safely visible here.
        return new Result(sendNanos, firstSend.get(), lastResponse.get(), requestNanos);
    }
}
