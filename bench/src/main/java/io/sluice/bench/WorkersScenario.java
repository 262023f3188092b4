package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code --scenario=workers}: external workers' round trip. {@code --jobs} jobs without an
 * endpoint are enqueued first (REST bulk, not measured); then {@code --concurrency} workers on
 * {@code spooled.v1 ProcessJobs} streams claim them ({@code --bulk-size} per dequeue) and
 * complete each one: the rate is completions per second, from the first dequeue to the last
 * completion answered. Each completion is durable (its own commit) before it is answered.
 * CPU per job runs from the first dequeue until Sluice is quiet again after the last
 * completion, so the work the jobs leave behind (relays, live stats) counts too; the enqueued
 * jobs' own trail is let settle before it starts.
 */
final class WorkersScenario {

    private static final String QUEUE = "bench.workers";
    private static final Duration QUIET_SPAN = Duration.ofSeconds(1);
    private static final double QUIET_SHARE = 0.4;
    private static final Duration QUIET_WITHIN = Duration.ofSeconds(60);

    private WorkersScenario() {
    }

    static ResultSection run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        int warmup = options.warmupJobs();
        if (warmup > 0) {
            enqueue(run, QUEUE + ".warmup", warmup);
            fleet(run, QUEUE + ".warmup", warmup, "warm-up");
        }
        enqueue(run, QUEUE, options.jobs());
        awaitQuiet(run);
        CpuReading start = CpuReading.now(run.sluice());
        WorkerFleet.Result result = fleet(run, QUEUE, options.jobs(), "measured");
        awaitQuiet(run);
        CpuReading.PerJob cpu = start.perJob(CpuReading.now(run.sluice()), options.jobs());
        return new WorkersReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                run.sluiceDescription(), options.jobs(), options.payloadBytes(), options.concurrency(),
                options.bulkSize(), warmup == 0 ? "none (cold JVM)" : MarkdownTable.integer(warmup) + " jobs processed",
                result.jobsPerSecond(), options.jobs() - result.completed(), result.errors(), cpu,
                run.machine().cpus());
    }

    /**
     * Waits (at most {@link #QUIET_WITHIN}) until Sluice and its PostgreSQL used less than
     * {@link #QUIET_SHARE} of one core over {@link #QUIET_SPAN}: what a phase left behind is done.
     */
    private static void awaitQuiet(BenchRun run) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_WITHIN.toNanos();
        Optional<Duration> before = run.sluice().cpuTimeWithPostgres();
        while (before.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(QUIET_SPAN.toMillis());
            Optional<Duration> now = run.sluice().cpuTimeWithPostgres();
            if (now.isEmpty() || now.get().minus(before.get()).toNanos() < QUIET_SHARE * QUIET_SPAN.toNanos()) {
                return;
            }
            before = now;
        }
    }

    private static void enqueue(BenchRun run, String queue, int jobs) throws Exception {
        BenchOptions options = run.options();
        BulkEnqueuer enqueuer = new BulkEnqueuer(run.api(), run.apiKey(),
                new PayloadFactory(queue, null, options.payloadBytes()), jobs, options.bulkSize(), 8);
        enqueuer.run(() -> System.out.printf("  enqueued %,d / %,d%n", enqueuer.enqueuedCount(), jobs),
                BenchRun.PROGRESS_MILLIS);
    }

    private static WorkerFleet.Result fleet(BenchRun run, String queue, int jobs, String phase) throws Exception {
        BenchOptions options = run.options();
        WorkerFleet fleet = new WorkerFleet(run.sluice().baseUrl().getHost(), run.sluice().grpcPort(), run.apiKey(),
                queue, options.concurrency(), Math.min(options.bulkSize(), 100));
        WorkerFleet.Result result = fleet.run(jobs, options.deliveryTimeout().toSeconds(),
                () -> System.out.printf("  %s: completed %,d / %,d%n", phase, fleet.completedCount(), jobs),
                BenchRun.PROGRESS_MILLIS);
        System.out.printf("Workers (%s): %,d completed, %,d refused, %,.0f jobs/s%n", phase, result.completed(),
                result.errors(), result.jobsPerSecond());
        if (result.firstError() != null) {
            System.err.println("First error: " + result.firstError());
        }
        return result;
    }
}
