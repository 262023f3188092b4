package io.sluice.bench;

import java.time.Instant;

/**
 * {@code --scenario=ingest}: how fast Sluice durably accepts jobs, by REST bulk requests and
 * then by gRPC {@code EnqueueJobs} streams, {@code --jobs} of each. The jobs name no endpoint
 * (they wait for external workers), so the figure is the acceptance path alone: every answer
 * comes after the commit that holds its job, with PostgreSQL's synchronous commit on.
 */
final class IngestScenario {

    private IngestScenario() {
    }

    static ResultSection run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        int jobs = options.jobs();
        run.warmUp();

        BulkEnqueuer rest = new BulkEnqueuer(run.api(), run.apiKey(),
                new PayloadFactory("bench.ingest.rest", null, options.payloadBytes()),
                jobs, options.bulkSize(), options.concurrency());
        BulkEnqueuer.Result restResult = rest.run(() -> System.out.printf("  REST: accepted %,d / %,d%n",
                rest.enqueuedCount(), jobs), BenchRun.PROGRESS_MILLIS);
        System.out.printf("REST bulk: %,d jobs, %,.0f jobs/s%n", jobs, restResult.jobsPerSecond());

        GrpcEnqueuer grpc = new GrpcEnqueuer(run.sluice().baseUrl().getHost(), run.sluice().grpcPort(), run.apiKey(),
                "bench.ingest.grpc", new PayloadFactory("bench.ingest.grpc", null, options.payloadBytes()), jobs,
                options.concurrency());
        GrpcEnqueuer.Result grpcResult = grpc.run(() -> System.out.printf("  gRPC: answered %,d / %,d%n",
                grpc.answeredCount(), jobs), BenchRun.PROGRESS_MILLIS);
        System.out.printf("gRPC streams: %,d accepted, %,d refused, %,.0f jobs/s%n",
                grpcResult.accepted(), grpcResult.refused(), grpcResult.jobsPerSecond());
        if (grpcResult.firstError() != null) {
            System.err.println("First refusal: " + grpcResult.firstError());
        }
        return new IngestReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                run.sluiceDescription(), jobs, options.payloadBytes(), options.bulkSize(), options.concurrency(),
                run.warmUpDescription(), restResult.jobsPerSecond(), grpcResult.jobsPerSecond(),
                jobs - grpcResult.accepted());
    }
}
