package io.sluice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Entry point of {@code ./bench.sh}: measures how fast Sluice accepts jobs and delivers them as
 * webhooks, end to end, on the machine it runs on.
 *
 * <p>Steps: start a {@link FastReceiver}; start Sluice ({@link SluiceProcess}) or use
 * {@code --target}; create an organization and register the receiver as an endpoint; enqueue
 * {@code --jobs} jobs through the bulk API ({@link BulkEnqueuer}); wait until the receiver has seen
 * every job; compute the figures and append them to {@code --output} ({@link BenchmarkReport}).
 *
 * <p>Why end to end through the public API and a real HTTP receiver: that is the path a user's job
 * takes, so the figures include Kafka, PostgreSQL, retries and HTTP, and cannot flatter a component
 * measured in isolation. Duplicates and lost jobs are part of the result because a fast delivery
 * system that loses or repeats webhooks is not a result worth publishing; losing any job makes the
 * run exit non-zero.
 *
 * <p>Exit codes: 0 success, 1 some job was never delivered, 2 the run failed (nothing written),
 * 64 bad command line.
 */
public final class DeliveryBenchmark {

    static final int EXIT_LOST = 1;
    static final int EXIT_FAILED = 2;
    static final int EXIT_USAGE = 64;

    /** After the last job arrived, how long to keep listening for late duplicates. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final long PROGRESS_MILLIS = 5_000;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private DeliveryBenchmark() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : EXIT_USAGE);
            return;
        }
        int code;
        try {
            code = run(options);
        } catch (BenchFailure e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace();
            }
            code = EXIT_FAILED;
        } catch (InterruptedException e) {
            System.err.println("Interrupted");
            code = EXIT_FAILED;
        } catch (Exception e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED:");
            e.printStackTrace();
            code = EXIT_FAILED;
        }
        System.exit(code);
    }

    static int run(BenchOptions options) throws Exception {
        Instant started = Instant.now();
        String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(started);
        MachineInfo machine = MachineInfo.detect();
        System.out.println("Sluice delivery benchmark: " + options.jobs() + " jobs of ~" + options.payloadBytes()
                + " bytes, bulk " + options.bulkSize() + ", concurrency " + options.concurrency());
        System.out.println("Machine: " + machine.describe());

        try (FastReceiver receiver = FastReceiver.start(options.jobs());
                SluiceProcess sluice = options.target() == null
                        ? SluiceProcess.start(options.sluiceJar(), Path.of("bench", "results"), timestamp)
                        : SluiceProcess.attach(options.target());
                SluiceApi api = new SluiceApi(sluice.baseUrl())) {
            Thread stopOnExit = new Thread(sluice::close, "stop-sluice");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            System.out.println("Receiver listening on " + receiver.hookUrl());

            String slug = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            String apiKey = api.createOrganization("bench", slug);
            String endpointId = api.createEndpoint(apiKey, receiver.hookUrl(), "bench");
            System.out.println("Organization " + slug + ", endpoint " + endpointId);
            if (options.warmupJobs() > 0) {
                warmUp(api, apiKey, options);
            }

            BulkEnqueuer enqueuer = new BulkEnqueuer(api, apiKey,
                    new PayloadFactory("bench", endpointId, options.payloadBytes()),
                    options.jobs(), options.bulkSize(), options.concurrency());
            Optional<Duration> sluiceCpuBefore = sluice.cpuTime();
            Optional<Duration> machineCpuBefore = MachineCpu.busy();
            BulkEnqueuer.Result enqueue = enqueuer.run(
                    () -> System.out.printf("  enqueued %,d / %,d, delivered %,d%n",
                            enqueuer.enqueuedCount(), options.jobs(), receiver.receivedCount()),
                    PROGRESS_MILLIS);
            System.out.printf("Enqueued %,d jobs in %.1f s: %,.0f jobs/s%n", options.jobs(),
                    (enqueue.lastResponseNanos() - enqueue.firstSendNanos()) / 1e9, enqueue.jobsPerSecond());

            boolean complete = awaitDeliveries(receiver, options.deliveryTimeout());
            Double sluiceCpuMsPerJob = perJob(sluiceCpuBefore, sluice.cpuTime(), options.jobs());
            Double machineCpuMsPerJob = perJob(machineCpuBefore, MachineCpu.busy(), options.jobs());
            if (complete) {
                Thread.sleep(SETTLE.toMillis());
            }

            BenchmarkReport report = report(options, machine, sluice, receiver, enqueue, sluiceCpuMsPerJob, machineCpuMsPerJob);
            System.out.println();
            System.out.print(report.toMarkdown());
            report.appendTo(options.output());
            System.out.println();
            System.out.println("Appended to " + options.output().toAbsolutePath());
            sluice.logFile().ifPresent(log -> System.out.println("Sluice log: " + log));
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            if (report.lost() > 0) {
                System.err.printf("%,d job(s) were never delivered%n", report.lost());
                return EXIT_LOST;
            }
            return 0;
        }
    }

    /**
     * Delivers {@code --warmup-jobs} jobs to a receiver and endpoint of their own, so the measured
     * burst meets a JVM whose hot paths are compiled, as a server that has been running would.
     */
    private static void warmUp(SluiceApi api, String apiKey, BenchOptions options) throws Exception {
        long started = System.nanoTime();
        try (FastReceiver receiver = FastReceiver.start(options.warmupJobs())) {
            String endpointId = api.createEndpoint(apiKey, receiver.hookUrl(), "bench warm-up");
            new BulkEnqueuer(api, apiKey, new PayloadFactory("bench-warmup", endpointId, options.payloadBytes()),
                    options.warmupJobs(), options.bulkSize(), options.concurrency())
                    .run(() -> System.out.printf("  warm-up: delivered %,d / %,d%n",
                            receiver.receivedCount(), options.warmupJobs()), PROGRESS_MILLIS);
            if (!awaitDeliveries(receiver, options.deliveryTimeout())) {
                throw new BenchFailure("the warm-up jobs were not all delivered");
            }
        }
        // Let the projector and the relay finish the warm-up's tail before the clock starts.
        Thread.sleep(SETTLE.toMillis());
        System.out.printf("Warm-up: %,d jobs delivered in %.1f s%n", options.warmupJobs(),
                (System.nanoTime() - started) / 1e9);
    }

    /** Waits for every job, printing progress; false when the timeout expired first. */
    private static boolean awaitDeliveries(FastReceiver receiver, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                System.err.printf("Timed out after %d s: %,d job(s) not delivered%n",
                        timeout.toSeconds(), receiver.missingCount());
                return false;
            }
            if (receiver.awaitAll(Duration.ofNanos(Math.min(left, PROGRESS_MILLIS * 1_000_000)))) {
                return true;
            }
            System.out.printf("  delivered %,d, missing %,d, posts %,d%n",
                    receiver.receivedCount(), receiver.missingCount(), receiver.totalPosts());
        }
    }

    /** CPU milliseconds per job between two readings; null when either is missing. */
    private static Double perJob(Optional<Duration> before, Optional<Duration> after, int jobs) {
        if (before.isEmpty() || after.isEmpty()) {
            return null;
        }
        return after.get().minus(before.get()).toNanos() / 1e6 / jobs;
    }

    static BenchmarkReport report(BenchOptions options, MachineInfo machine, SluiceProcess sluice,
            FastReceiver receiver, BulkEnqueuer.Result enqueue, Double sluiceCpuMsPerJob, Double machineCpuMsPerJob) {
        long[] arrivals = receiver.arrivalNanos();
        long[] sent = enqueue.sendNanos();
        long[] latencies = new long[arrivals.length];
        int delivered = 0;
        long lastArrival = Long.MIN_VALUE;
        for (int seq = 0; seq < arrivals.length; seq++) {
            if (arrivals[seq] != 0) {
                latencies[delivered++] = arrivals[seq] - sent[seq];
                lastArrival = Math.max(lastArrival, arrivals[seq]);
            }
        }
        long lost = arrivals.length - delivered;
        Double p50 = null;
        Double p99 = null;
        Double max = null;
        if (delivered > 0) {
            Percentiles percentiles = Percentiles.of(java.util.Arrays.copyOf(latencies, delivered));
            p50 = percentiles.percentile(50) / 1e6;
            p99 = percentiles.percentile(99) / 1e6;
            max = percentiles.max() / 1e6;
        }
        Double deliveryRate = lost == 0 ? options.jobs() / ((lastArrival - enqueue.firstSendNanos()) / 1e9) : null;
        Double coldStart = sluice.coldStart().map(d -> d.toMillis() / 1000.0).orElse(null);
        var rss = sluice.peakRssMb();
        var tree = sluice.peakTreeMemoryMb();
        String sluiceDescription = options.target() == null
                ? "started from " + options.sluiceJar() + " (" + String.join(" ", SluiceProcess.javaOptions()) + ")"
                : "running at " + options.target();
        return new BenchmarkReport(Instant.now(), options.label(), command(options.args()), machine.describe(),
                sluiceDescription, options.jobs(), options.payloadBytes(), options.bulkSize(), options.concurrency(),
                options.warmupJobs(), enqueue.jobsPerSecond(), deliveryRate, p50, p99, max, sluiceCpuMsPerJob,
                machineCpuMsPerJob, receiver.duplicates(), lost,
                receiver.unrecognisedPosts() + receiver.postsWithoutId(), coldStart,
                rss.isPresent() ? rss.getAsLong() : null, tree.isPresent() ? tree.getAsLong() : null);
    }

    /**
     * The command as typed: {@code bench.sh} passes it in {@code SLUICE_BENCH_COMMAND} (it also
     * knows about {@code --build}, which it does not forward); otherwise it is rebuilt from the
     * arguments, since running the jar directly is equivalent to {@code ./bench.sh} with them.
     */
    static String command(List<String> args) {
        String fromScript = System.getenv("SLUICE_BENCH_COMMAND");
        if (fromScript != null && !fromScript.isBlank()) {
            return fromScript.strip();
        }
        return args.isEmpty() ? "./bench.sh" : "./bench.sh " + args.stream()
                .map(arg -> SHELL_SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
