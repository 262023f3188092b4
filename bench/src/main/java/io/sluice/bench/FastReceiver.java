package io.sluice.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The webhook endpoint the benchmark points Sluice at: answers every POST with 204 as soon as its
 * body has been read, and remembers what arrived and when.
 *
 * <p>Why it is built this way: the receiver runs on the same two cores as the system under test,
 * so every microsecond it spends is a microsecond stolen from Sluice and shows up as a worse
 * figure. Hence Jetty's core API (no servlet layer, no per-request object graph beyond Jetty's
 * own), a handler that does nothing but read the body and answer, and a byte scan
 * ({@link SeqScanner}) instead of a JSON parse. Everything recorded is lock-free: an
 * {@link AtomicLongArray} of first-arrival times indexed by {@code seq}, a concurrent set of the
 * distinct {@code webhook-id} headers (the job ids: a redelivered job reuses its id, which is how
 * duplicates are counted) and {@link LongAdder} counters. HTTP/1.1 keep-alive is Jetty's default,
 * so Sluice's delivery workers reuse their connections.
 *
 * <p>Threads: a bounded {@link QueuedThreadPool} of platform threads. The handler only blocks for the
 * microseconds until a small body has arrived, so a few dozen threads serve any number of keep-alive
 * connections; virtual threads would add a scheduler hop per request and buy nothing here, and
 * a bound keeps the receiver from competing with Sluice for the two cores with hundreds of
 * runnable threads.
 *
 * <p>Flaky mode ({@link #startFlaky}): an {@link AttemptLog} decides each attempt's answer, 503 for
 * a seeded share and 204 otherwise, and remembers every attempt per {@code webhook-id}; a job
 * counts as arrived at its first 2xx. The burst's path stays as it was: one null check.
 */
public final class FastReceiver implements AutoCloseable {

    /** Bodies larger than this are refused with 413: the bench never sends them. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final int expected;
    private final AtomicLongArray arrivalNanos;
    private final Set<String> webhookIds;
    private final LongAdder posts = new LongAdder();
    private final LongAdder postsWithoutId = new LongAdder();
    private final LongAdder postsWithoutSeq = new LongAdder();
    private final LongAdder postsOutOfRange = new LongAdder();
    private final CountDownLatch allArrived;
    /** Decides and records answers in flaky mode; null: every POST is answered 204. */
    private final AttemptLog attempts;
    private final Server server;
    private final ServerConnector connector;

    /** Endpoints one job fans out to ({@link #startFanOut}); 1 otherwise. */
    private final int lanes;

    private FastReceiver(int expected, AttemptLog attempts, int lanes) {
        this.expected = expected;
        this.attempts = attempts;
        this.lanes = lanes;
        this.arrivalNanos = new AtomicLongArray(expected);
        this.webhookIds = ConcurrentHashMap.newKeySet(Math.max(16, expected * 2));
        this.allArrived = new CountDownLatch(expected);

        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("receiver");
        threads.setDaemon(true);
        server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        connector = new ServerConnector(server, 1, -1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new HookHandler());
        server.setStopTimeout(2_000);
    }

    /**
     * Starts a receiver on 127.0.0.1 and a free port.
     *
     * @param expectedJobs number of distinct {@code seq} values ({@code 0..expectedJobs-1}) expected
     */
    public static FastReceiver start(int expectedJobs) throws Exception {
        FastReceiver receiver = new FastReceiver(expectedJobs, null, 1);
        receiver.server.start();
        return receiver;
    }

    /**
     * Starts a receiver whose answers {@code attempts} decides; a job's arrival is its first 2xx.
     * POSTs without a {@code webhook-id} or a known {@code seq} are answered 204 and counted as
     * unrecognised, as in {@link #start}.
     */
    public static FastReceiver startFlaky(int expectedJobs, AttemptLog attempts) throws Exception {
        FastReceiver receiver = new FastReceiver(expectedJobs, attempts, 1);
        receiver.server.start();
        return receiver;
    }

    /**
     * Starts a receiver for messages fanned out to {@code endpoints} endpoints: each endpoint is
     * registered at {@link #hookUrl(int)}, and a delivery of message {@code seq} to endpoint
     * {@code lane} counts as job {@code seq * endpoints + lane}.
     */
    public static FastReceiver startFanOut(int messages, int endpoints) throws Exception {
        FastReceiver receiver = new FastReceiver(messages * endpoints, null, endpoints);
        receiver.server.start();
        return receiver;
    }

    /** The port the receiver listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The URL to register as the webhook endpoint (any path is accepted; this one reads well). */
    public URI hookUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/hook");
    }

    /** The URL of fan-out endpoint {@code lane} (see {@link #startFanOut}). */
    public URI hookUrl(int lane) {
        return URI.create("http://127.0.0.1:" + port() + "/hook/" + lane);
    }

    /** Waits until every expected {@code seq} has arrived at least once. */
    public boolean awaitAll(Duration timeout) throws InterruptedException {
        return allArrived.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Number of distinct expected {@code seq} values that have arrived (in flaky mode: been answered 2xx). */
    public int receivedCount() {
        return expected - (int) allArrived.getCount();
    }

    /** Number of expected {@code seq} values that have not arrived (yet). */
    public int missingCount() {
        return (int) allArrived.getCount();
    }

    /** Total POSTs received, duplicates included. */
    public long totalPosts() {
        return posts.sum();
    }

    /** Distinct {@code webhook-id} header values seen. */
    public int distinctWebhookIds() {
        return webhookIds.size();
    }

    /** POSTs that repeated an already seen {@code webhook-id} (redeliveries). */
    public long duplicates() {
        return totalPosts() - postsWithoutId.sum() - distinctWebhookIds();
    }

    /** POSTs that had no {@code webhook-id} header. */
    public long postsWithoutId() {
        return postsWithoutId.sum();
    }

    /** POSTs whose body had no readable {@code seq}, or a {@code seq} outside {@code 0..N-1}. */
    public long unrecognisedPosts() {
        return postsWithoutSeq.sum() + postsOutOfRange.sum();
    }

    /**
     * A copy of the first-arrival {@link System#nanoTime()} per {@code seq} (in flaky mode: of the
     * first attempt answered 2xx); 0 means "never arrived".
     */
    public long[] arrivalNanos() {
        long[] copy = new long[expected];
        for (int i = 0; i < expected; i++) {
            copy[i] = arrivalNanos.get(i);
        }
        return copy;
    }

    /** The latest first-arrival time over all arrived {@code seq}s, or 0 if none arrived. */
    public long lastFirstArrivalNanos() {
        return Arrays.stream(arrivalNanos()).filter(t -> t != 0).max().orElse(0);
    }

    /**
     * Records one delivery and returns the status to answer; package-private so the pure
     * bookkeeping can be reasoned about alone.
     */
    int record(String webhookId, byte[] body, int offset, int length, long nowNanos) {
        return record(webhookId, body, offset, length, nowNanos, 0);
    }

    /** As {@link #record(String, byte[], int, int, long)}, for a delivery to fan-out endpoint {@code lane}. */
    int record(String webhookId, byte[] body, int offset, int length, long nowNanos, int lane) {
        posts.increment();
        if (webhookId == null) {
            postsWithoutId.increment();
        } else {
            webhookIds.add(webhookId);
        }
        long found = SeqScanner.find(body, offset, length);
        long seq = found == SeqScanner.NOT_FOUND ? found : found * lanes + lane;
        if (seq == SeqScanner.NOT_FOUND) {
            postsWithoutSeq.increment();
        } else if (seq >= expected || lane < 0 || lane >= lanes) {
            postsOutOfRange.increment();
        } else {
            int status = attempts == null || webhookId == null
                    ? FlakyAnswers.ACCEPTED : attempts.record(webhookId, seq, nowNanos);
            if (status >= 300) {
                return status;
            }
            // 0 marks "not arrived"; nanoTime() being exactly 0 is possible in theory only.
            long stamp = nowNanos == 0 ? 1 : nowNanos;
            if (arrivalNanos.compareAndSet((int) seq, 0, stamp)) {
                allArrived.countDown();
            }
        }
        return FlakyAnswers.ACCEPTED;
    }

    /** The lane of a path {@code /hook/<lane>}; -1 (unrecognised) for any other. */
    static int laneOf(String path) {
        int slash = path == null ? -1 : path.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Integer.parseInt(path.substring(slash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /**
     * Answers POSTs; everything else gets 405 so a misconfigured health probe is visible.
     *
     * <p>Blocking on purpose: the body is read and the response completed before {@code handle}
     * returns, on the pool thread Jetty dispatched the request to. A non-blocking variant (demand
     * callbacks completing the response on another thread while {@code handle} is still on the
     * stack) was tried and made Jetty 12.1 log sporadic {@code NullPointerException}s from
     * {@code HttpChannelState.completeStream} under load; a receiver that might fail a delivery
     * would cause retries and count them as Sluice's duplicates, so the simple path wins. At ~1 KiB
     * bodies the dispatch costs a few microseconds, far below what Sluice spends per delivery.
     */
    private final class HookHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!HttpMethod.POST.is(request.getMethod())) {
                Response.writeError(request, response, callback, 405);
                return true;
            }
            if (request.getLength() > MAX_BODY_BYTES) {
                Response.writeError(request, response, callback, 413);
                return true;
            }
            String webhookId = request.getHeaders().get("webhook-id");
            ByteBuffer body = Content.Source.asByteBuffer(request);
            long now = System.nanoTime();
            int status;
            int lane = lanes == 1 ? 0 : laneOf(request.getHttpURI().getPath());
            if (body.hasArray()) {
                status = record(webhookId, body.array(), body.arrayOffset() + body.position(), body.remaining(), now,
                        lane);
            } else {
                byte[] copy = new byte[body.remaining()];
                body.get(copy);
                status = record(webhookId, copy, 0, copy.length, now, lane);
            }
            response.setStatus(status);
            callback.succeeded();
            return true;
        }
    }
}
