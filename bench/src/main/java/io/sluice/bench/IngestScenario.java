package io.sluice.bench;

import java.time.Instant;
import java.util.List;

/**
 * {@code --scenario=ingest}: how fast Sluice durably accepts jobs, by REST bulk requests, by
 * REST single-job requests ({@value #SINGLE_CLIENTS} clients), then by gRPC {@code EnqueueJobs} streams (a job per message), then by {@code EnqueueJobBatches}
 * streams ({@code --bulk-size} jobs per message), {@code --jobs} of each. The jobs name no endpoint
 * (they wait for external workers), so the figure is the acceptance path alone: every answer
 * comes after the commit that holds its job, with PostgreSQL's synchronous commit on.
 */
final class IngestScenario {

    /** Clients creating one job per request at once: the bar is set for 64. */
    static final int SINGLE_CLIENTS = 64;

    private IngestScenario() {
    }

    static ResultSection run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        int jobs = options.jobs();
        run.warmUp();

        BulkEnqueuer rest = new BulkEnqueuer(run.api(), run.apiKey(),
                new PayloadFactory("bench.ingest.rest", null, options.payloadBytes()),
                jobs, options.bulkSize(), options.concurrency());
        CpuReading restStart = CpuReading.now(run.sluice());
        BulkEnqueuer.Result restResult = rest.run(() -> System.out.printf("  REST: accepted %,d / %,d%n",
                rest.enqueuedCount(), jobs), BenchRun.PROGRESS_MILLIS);
        CpuReading.PerJob restCpu = restStart.perJob(CpuReading.now(run.sluice()), jobs);
        System.out.printf("REST bulk: %,d jobs, %,.0f jobs/s%n", jobs, restResult.jobsPerSecond());

        BulkEnqueuer single = BulkEnqueuer.single(run.api(), run.apiKey(),
                new PayloadFactory("bench.ingest.single", null, options.payloadBytes()), jobs, SINGLE_CLIENTS);
        CpuReading singleStart = CpuReading.now(run.sluice());
        BulkEnqueuer.Result singleResult = single.run(() -> System.out.printf("  REST single: accepted %,d / %,d%n",
                single.enqueuedCount(), jobs), BenchRun.PROGRESS_MILLIS);
        CpuReading.PerJob singleCpu = singleStart.perJob(CpuReading.now(run.sluice()), jobs);
        Percentiles singleLatency = Percentiles.of(singleResult.requestNanos());
        System.out.printf("REST single: %,d jobs, %,.0f jobs/s, p99 %.1f ms%n", jobs, singleResult.jobsPerSecond(),
                singleLatency.percentile(99) / 1e6);

        CpuReading itemsStart = CpuReading.now(run.sluice());
        GrpcEnqueuer.Result items = grpc(run, "bench.ingest.grpc", 1, "gRPC EnqueueJobs");
        CpuReading batchesStart = CpuReading.now(run.sluice());
        GrpcEnqueuer.Result batches = grpc(run, "bench.ingest.grpc-batches", options.bulkSize(),
                "gRPC EnqueueJobBatches");
        CpuReading.PerJob batchesCpu = batchesStart.perJob(CpuReading.now(run.sluice()), jobs);
        CpuReading.PerJob itemsCpu = itemsStart.perJob(batchesStart, jobs);
        return new IngestReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                run.sluiceDescription(), jobs, options.payloadBytes(), options.bulkSize(), options.concurrency(),
                run.warmUpDescription(), restResult.jobsPerSecond(), SINGLE_CLIENTS, singleResult.jobsPerSecond(),
                singleLatency.percentile(50) / 1e6, singleLatency.percentile(99) / 1e6,
                items.jobsPerSecond(), batches.jobsPerSecond(),
                2L * jobs - items.accepted() - batches.accepted(), run.machine().cpus(),
                List.of(restCpu, singleCpu, itemsCpu, batchesCpu));
    }

    /** {@code --jobs} jobs over {@code --concurrency} streams, {@code batchSize} per stream message. */
    private static GrpcEnqueuer.Result grpc(BenchRun run, String queue, int batchSize, String name) throws Exception {
        BenchOptions options = run.options();
        int jobs = options.jobs();
        GrpcEnqueuer grpc = new GrpcEnqueuer(run.sluice().baseUrl().getHost(), run.sluice().grpcPort(), run.apiKey(),
                queue, new PayloadFactory(queue, null, options.payloadBytes()), jobs, options.concurrency(), batchSize);
        GrpcEnqueuer.Result result = grpc.run(() -> System.out.printf("  %s: answered %,d / %,d%n", name,
                grpc.answeredCount(), jobs), BenchRun.PROGRESS_MILLIS);
        System.out.printf("%s: %,d accepted, %,d refused, %,.0f jobs/s%n", name, result.accepted(), result.refused(),
                result.jobsPerSecond());
        if (result.firstError() != null) {
            System.err.println("First refusal: " + result.firstError());
        }
        return result;
    }
}
