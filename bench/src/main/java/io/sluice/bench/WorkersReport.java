package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.againstBar;
import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.perSecond;

import java.time.Instant;

/**
 * The figures of one {@code --scenario=workers} run and their Markdown section.
 *
 * @param jobsPerSecond jobs claimed and completed per second by the whole fleet
 * @param lost          jobs not completed before the timeout
 * @param refused       requests answered with an error
 * @param cpu           CPU per job of each part, the work the jobs left behind included
 * @param cpus          the machine's CPUs
 */
public record WorkersReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int jobs,
        int payloadBytes,
        int workers,
        int batch,
        String warmUp,
        double jobsPerSecond,
        long lost,
        long refused,
        CpuReading.PerJob cpu,
        int cpus) implements ResultSection {

    /** The bar: ProcessJobs round trips with 8 workers, jobs per second. */
    static final double BAR = 10_000;

    @Override
    public String toMarkdown() {
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Jobs", integer(jobs) + " of " + integer(payloadBytes) + " bytes, enqueued before the run")
                .row("Warm-up before the measured jobs", warmUp)
                .row("ProcessJobs claim → complete (" + workers + " workers, " + Math.min(batch, 100)
                                + " jobs per dequeue; bar: ≥ 10,000/s)",
                        perSecond(jobsPerSecond, "jobs") + againstBar(jobsPerSecond, BAR))
                .row("Jobs not completed", integer(lost))
                .row("Requests refused", integer(refused));
        table.row(CpuReading.PerJob.PARTS, cpu.describe(cpus));
        table.note("Each worker has its own gRPC channel and ProcessJobs stream; a completion is answered after the"
                + " commit that records it. CPU per job: from the first dequeue until Sluice is quiet again after"
                + " the last completion, so the relays and live stats the jobs cause count too.");
        return table.render(date, label + " — external workers, " + integer(jobs) + " jobs", command, machine);
    }
}
