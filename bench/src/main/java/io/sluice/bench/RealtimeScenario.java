package io.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --scenario=realtime}: the two bars for the streams. First {@code --jobs} jobs
 * enqueued at {@code --rate} a second and delivered while {@link #WATCHERS} SSE clients follow every
 * completion: how long a state change takes to reach them, and whether any is missed. Then
 * {@code --sse-clients} streams held open at once: the heap they cost, and whether a push reaches
 * every one.
 */
final class RealtimeScenario {

    static final int WATCHERS = 4;
    private static final String QUEUE = "bench-live";
    /** How long the node is left alone before the heap's baseline is read. */
    private static final Duration QUIET_BEFORE_HEAP = Duration.ofSeconds(5);
    /**
     * A heap space's line of {@code GC.heap_info} (not indented): G1 has one ({@code garbage-first
     * heap}), the generational collectors one per generation ({@code PSYoungGen}, {@code ParOldGen}).
     */
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\S[^\\n]*?used (\\d+)K");

    private RealtimeScenario() {
    }

    static ResultSection run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        SluiceApi api = run.api();
        URI base = run.sluice().baseUrl();
        try (FastReceiver receiver = FastReceiver.start(options.jobs())) {
            String endpointId = api.createEndpoint(run.apiKey(), receiver.hookUrl(), "bench realtime");
            run.warmUp();

            // 1. latency under load
            HttpClient http = HttpClient.newBuilder().build();
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            List<SseWatcher> watchers = new ArrayList<>();
            for (int i = 0; i < WATCHERS; i++) {
                watchers.add(SseWatcher.open(http, base.resolve("/api/v1/events?events=JobCompleted&queue=" + QUEUE),
                        run.apiKey(), "JobCompleted", times -> latencies.add(times[1] - times[0])));
            }
            for (SseWatcher watcher : watchers) {
                if (!watcher.awaitConnected(30_000)) {
                    throw new BenchFailure("an SSE client could not connect within 30 s", null);
                }
            }
            PayloadFactory payloads = new PayloadFactory(QUEUE, endpointId, options.payloadBytes());
            String metricsBefore = api.prometheusText();
            long started = System.nanoTime();
            enqueueAtRate(api, run.apiKey(), payloads, options.jobs(), options.ratePerSecond(), receiver);
            boolean delivered = BenchRun.awaitDeliveries(receiver, options.deliveryTimeout());
            double seconds = (receiver.lastFirstArrivalNanos() - started) / 1e9;
            long expected = (long) options.jobs() * WATCHERS;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (watchers.stream().mapToLong(SseWatcher::distinctJobs).sum() < expected && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long seen = watchers.stream().mapToLong(SseWatcher::distinctJobs).sum();
            long reconnects = watchers.stream().mapToLong(SseWatcher::reconnects).sum();
            System.out.printf("Delivered %,d jobs (%s); SSE clients saw %,d of %,d completions, reconnected %,d times%n",
                    options.jobs(), delivered ? "all" : "not all", seen, expected, reconnects);
            String metricsAfter = api.prometheusText();
            Double toKafka = meanLag(metricsBefore, metricsAfter, "change_to_kafka");
            Double toFeed = meanLag(metricsBefore, metricsAfter, "kafka_to_feed");
            long[] samples = latencies.stream().mapToLong(Long::longValue).toArray();
            Percentiles percentiles = samples.length == 0 ? null : Percentiles.of(samples);
            watchers.forEach(SseWatcher::close);
            http.shutdownNow();

            // 2. many streams held at once
            int clients = options.sseClients();
            OptionalLong pid = run.sluice().pid();
            // The baseline after the watched jobs' last changes have been relayed and counted, so
            // that it holds what the node holds while idle, as it does with the clients
            Thread.sleep(QUIET_BEFORE_HEAP.toMillis());
            Double heapBefore = heapAfterGcMb(pid);
            HttpClient held = HttpClient.newBuilder().build();
            List<SseWatcher> streams = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                streams.add(SseWatcher.open(held, base.resolve("/api/v1/events/queues/" + QUEUE + "-held"),
                        run.apiKey(), "QueueStats", times -> { }));
            }
            int connected = 0;
            for (SseWatcher stream : streams) { // a watcher reconnects by itself; wait for the first opening
                connected += stream.awaitConnected(60_000) ? 1 : 0;
            }
            System.out.printf("%,d of %,d SSE clients connected%n", connected, clients);
            Double heapAfter = heapAfterGcMb(pid);
            // a push to all of them: a job in their queue changes its counts
            api.enqueueBulk(run.apiKey(), new PayloadFactory(QUEUE + "-held", endpointId, 16)
                    .bulkBody(0, 1, System.nanoTime()), 1);
            long pushDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (streams.stream().filter(s -> s.messages() > 0).count() < connected
                    && System.nanoTime() < pushDeadline) {
                Thread.sleep(100);
            }
            int reached = (int) streams.stream().filter(s -> s.messages() > 0).count();
            System.out.printf("A push reached %,d of them%n", reached);
            streams.forEach(SseWatcher::close);
            held.shutdownNow();

            return new RealtimeReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                    run.sluiceDescription(), options.jobs(), options.jobs() / seconds, WATCHERS, expected, seen, reconnects,
                    percentiles == null ? null : (double) percentiles.percentile(50),
                    percentiles == null ? null : (double) percentiles.percentile(99),
                    percentiles == null ? null : (double) percentiles.percentile(100),
                    toKafka, toFeed, clients, connected, reached,
                    heapBefore == null || heapAfter == null ? null : heapAfter - heapBefore);
        }
    }

    /** The mean of {@code sluice_live_lag_seconds{leg}} between two scrapes, in ms; null without samples. */
    private static Double meanLag(String before, String after, String leg) {
        String label = "leg=\"" + leg + "\"";
        double sum = PrometheusText.valueLabelled(after, "sluice_live_lag_seconds_sum", label).orElse(0)
                - PrometheusText.valueLabelled(before, "sluice_live_lag_seconds_sum", label).orElse(0);
        double count = PrometheusText.valueLabelled(after, "sluice_live_lag_seconds_count", label).orElse(0)
                - PrometheusText.valueLabelled(before, "sluice_live_lag_seconds_count", label).orElse(0);
        return count <= 0 ? null : 1000 * sum / count;
    }

    /**
     * Sends a bulk request every 50 ms, so that jobs arrive at {@code rate} a second; each on a
     * virtual thread of its own, so a slow answer does not hold back the next request.
     */
    private static void enqueueAtRate(SluiceApi api, String apiKey, PayloadFactory payloads, int jobs, int rate,
                                      FastReceiver receiver) throws Exception {
        int perTick = Math.max(1, rate / 20);
        long tick = TimeUnit.MILLISECONDS.toNanos(50);
        long next = System.nanoTime();
        long lastReport = next;
        List<Future<?>> requests = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int from = 0; from < jobs; from += perTick) {
                int first = from;
                int to = Math.min(jobs, from + perTick);
                requests.add(senders.submit(() -> api.enqueueBulk(apiKey,
                        payloads.bulkBody(first, to, System.nanoTime()), to - first)));
                next += tick;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (System.nanoTime() - lastReport > TimeUnit.MILLISECONDS.toNanos(BenchRun.PROGRESS_MILLIS)) {
                    lastReport = System.nanoTime();
                    System.out.printf("  sent %,d / %,d, delivered %,d%n", to, jobs, receiver.receivedCount());
                }
            }
            for (Future<?> request : requests) {
                try {
                    request.get();
                } catch (ExecutionException e) {
                    throw new BenchFailure("enqueueing failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    /** Sluice's heap in use right after a full GC, from {@code jcmd}; null when it cannot be read. */
    private static Double heapAfterGcMb(OptionalLong pid) {
        if (pid.isEmpty()) {
            return null;
        }
        try {
            jcmd(pid.getAsLong(), "GC.run");
            Matcher used = HEAP_USED.matcher(jcmd(pid.getAsLong(), "GC.heap_info"));
            long usedKb = 0;
            boolean found = false;
            while (used.find()) {
                usedKb += Long.parseLong(used.group(1));
                found = true;
            }
            return found ? usedKb / 1024.0 : null;
        } catch (IOException e) {
            System.err.println("Could not read Sluice's heap: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output.strip());
        }
        return output;
    }
}
