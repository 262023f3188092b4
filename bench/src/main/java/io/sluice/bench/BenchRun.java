package io.sluice.bench;

import java.time.Duration;
import java.util.List;

/**
 * What every scenario runs with: the options, the machine, the Sluice under test, its API and the
 * API key of the organization created for the run; and the steps scenarios share.
 *
 * @param options the command line
 * @param machine where the run happens
 * @param sluice  the Sluice under test
 * @param api     its HTTP API
 * @param apiKey  of the run's organization
 */
record BenchRun(BenchOptions options, MachineInfo machine, SluiceProcess sluice, SluiceApi api, String apiKey) {

    /** After the last job arrived, how long to keep listening for late duplicates. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    static final long PROGRESS_MILLIS = 5_000;

    /**
     * Delivers {@code --warmup-jobs} jobs to a receiver and endpoint of their own, so the measured
     * jobs meet a JVM whose hot paths are compiled, as a server that has been running would.
     */
    void warmUp() throws Exception {
        int jobs = options.warmupJobs();
        if (jobs == 0) {
            return;
        }
        long started = System.nanoTime();
        try (FastReceiver receiver = FastReceiver.start(jobs)) {
            // Subscribed to a type no message has: a fan-out run's messages must not reach it.
            String endpointId = api.createEndpoint(apiKey, receiver.hookUrl(), "bench warm-up", null,
                    List.of("bench.warm-up"));
            new BulkEnqueuer(api, apiKey, new PayloadFactory("bench-warmup", endpointId, options.payloadBytes()),
                    jobs, options.bulkSize(), options.concurrency())
                    .run(() -> System.out.printf("  warm-up: delivered %,d / %,d%n",
                            receiver.receivedCount(), jobs), PROGRESS_MILLIS);
            if (!awaitDeliveries(receiver, options.deliveryTimeout())) {
                throw new BenchFailure("the warm-up jobs were not all delivered");
            }
        }
        // Let the projector and the relay finish the warm-up's tail before the clock starts.
        Thread.sleep(SETTLE.toMillis());
        System.out.printf("Warm-up: %,d jobs delivered in %.1f s%n", jobs, (System.nanoTime() - started) / 1e9);
    }

    /** Waits for every job, printing progress; false when the timeout expired first. */
    static boolean awaitDeliveries(FastReceiver receiver, Duration timeout) throws InterruptedException {
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

    /** How the report names the Sluice measured. */
    String sluiceDescription() {
        return options.target() == null
                ? "started from " + options.sluiceJar() + " (" + String.join(" ", SluiceProcess.javaOptions()) + ")"
                : "running at " + options.target();
    }

    /** The command line for the report. */
    String command() {
        return DeliveryBenchmark.command(options.args());
    }

    /** The warm-up as the report states it. */
    String warmUpDescription() {
        return options.warmupJobs() == 0 ? "none (cold JVM)"
                : MarkdownTable.integer(options.warmupJobs()) + " jobs delivered";
    }
}
