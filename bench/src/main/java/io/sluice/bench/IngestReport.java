package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.againstBar;
import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.millis;
import static io.sluice.bench.MarkdownTable.perSecond;

import java.time.Instant;
import java.util.List;

/**
 * The figures of one {@code --scenario=ingest} run and their Markdown section.
 *
 * @param restJobsPerSecond jobs accepted per second by {@code POST /api/v1/jobs/bulk}
 * @param singleClients     clients sending one {@code POST /api/v1/jobs} at a time each
 * @param singleJobsPerSecond jobs accepted per second by those requests
 * @param singleP50Millis   median time to an answer of one of them
 * @param singleP99Millis   99th percentile of that time
 * @param grpcJobsPerSecond      jobs accepted per second by {@code EnqueueJobs} streams
 * @param grpcBatchJobsPerSecond jobs accepted per second by {@code EnqueueJobBatches} streams
 * @param lost                   gRPC jobs not answered with an id (REST failures stop the run)
 * @param cpus                   the machine's processors
 * @param cpuPerJob              per path (REST bulk, REST single, EnqueueJobs, EnqueueJobBatches), the CPU
 *                               each part of the run used per job while that path ran
 */
public record IngestReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int jobs,
        int payloadBytes,
        int bulkSize,
        int concurrency,
        String warmUp,
        double restJobsPerSecond,
        int singleClients,
        double singleJobsPerSecond,
        double singleP50Millis,
        double singleP99Millis,
        double grpcJobsPerSecond,
        double grpcBatchJobsPerSecond,
        long lost,
        int cpus,
        List<CpuReading.PerJob> cpuPerJob) implements ResultSection {

    private static final List<String> PATHS = List.of("REST bulk", "REST single job", "gRPC EnqueueJobs",
            "gRPC EnqueueJobBatches");

    /** The bars, jobs accepted per second. */
    static final double REST_BAR = 10_000;
    static final double GRPC_BAR = 20_000;
    static final double SINGLE_BAR = 8_000;
    static final double SINGLE_P99_BAR_MILLIS = 50;

    @Override
    public String toMarkdown() {
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Jobs per path", integer(jobs) + " of " + integer(payloadBytes) + " bytes, no endpoint")
                .row("Warm-up before the measured jobs", warmUp)
                .row("REST bulk (" + bulkSize + " jobs per request, " + concurrency + " in flight; bar: ≥ 10,000/s)",
                        perSecond(restJobsPerSecond, "jobs") + againstBar(restJobsPerSecond, REST_BAR))
                .row("REST single job (POST /api/v1/jobs, " + singleClients + " clients; bar: ≥ 8,000/s)",
                        perSecond(singleJobsPerSecond, "jobs") + againstBar(singleJobsPerSecond, SINGLE_BAR))
                .row("REST single job: answer p50 / p99 (bar: p99 ≤ 50 ms)", millis(singleP50Millis) + " / "
                        + millis(singleP99Millis) + (singleP99Millis <= SINGLE_P99_BAR_MILLIS ? " (meets the bar)" : " (above the bar)"))
                .row("gRPC EnqueueJobs (" + concurrency + " streams, a job per message; bar: ≥ 20,000/s)",
                        perSecond(grpcJobsPerSecond, "jobs") + againstBar(grpcJobsPerSecond, GRPC_BAR))
                .row("gRPC EnqueueJobBatches (" + concurrency + " streams, " + bulkSize
                                + " jobs per message; bar: ≥ 20,000/s)",
                        perSecond(grpcBatchJobsPerSecond, "jobs") + againstBar(grpcBatchJobsPerSecond, GRPC_BAR))
                .row("Jobs not accepted", integer(lost));
        for (int i = 0; i < PATHS.size(); i++) {
            table.row(PATHS.get(i) + ": " + CpuReading.PerJob.PARTS, cpuPerJob.get(i).describe(cpus));
        }
        table.note("Each answer comes after the PostgreSQL commit that holds its job (synchronous_commit on);"
                + " the rate runs from the first request sent to the last answer received. CPU per job: from the"
                + " path's first request to its last answer, so work still behind (relays, live stats) counts"
                + " where it is done; \"at most\" is the machine's CPU time divided by that cost.");
        return table.render(date, label + " — ingest, " + integer(jobs) + " jobs per path", command, machine);
    }
}
