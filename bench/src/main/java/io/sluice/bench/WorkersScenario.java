package io.sluice.bench;

import java.time.Instant;

/**
 * {@code --scenario=workers}: external workers' round trip. {@code --jobs} jobs without an
 * endpoint are enqueued first (REST bulk, not measured); then {@code --concurrency} workers on
 * {@code spooled.v1 ProcessJobs} streams claim them ({@code --bulk-size} per dequeue) and
 * complete each one: the rate is completions per second, from the first dequeue to the last
 * completion answered. Each completion is durable (its own commit) before it is answered.
 */
final class WorkersScenario {

    private static final String QUEUE = "bench.workers";

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
        WorkerFleet.Result result = fleet(run, QUEUE, options.jobs(), "measured");
        return new WorkersReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                run.sluiceDescription(), options.jobs(), options.payloadBytes(), options.concurrency(),
                options.bulkSize(), warmup == 0 ? "none (cold JVM)" : MarkdownTable.integer(warmup) + " jobs processed",
                result.jobsPerSecond(), options.jobs() - result.completed(), result.errors());
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
