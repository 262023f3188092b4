package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.cpu;
import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.millis;
import static io.sluice.bench.MarkdownTable.rate;
import static io.sluice.bench.MarkdownTable.seconds;

import java.time.Instant;

/**
 * The figures of one burst run ({@code --scenario=burst}), and their Markdown rendering appended to
 * {@code BENCHMARKS.md} ({@link ResultsFile}).
 *
 * <p>Absent figures ({@code null}) are rendered as "n/a": no cold start or memory figure exists for
 * {@code --target}, and no latency when nothing was delivered.
 *
 * @param date when the run finished
 * @param label the run's name from {@code --label}
 * @param command the command line that produced it
 * @param machine from {@link MachineInfo#describe()}
 * @param sluice "started from sluice.jar" or the target URL
 * @param jobs jobs enqueued
 * @param payloadBytes size of each payload
 * @param bulkSize jobs per bulk request
 * @param concurrency bulk requests in flight
 * @param warmupJobs jobs delivered before the measured burst (0: a cold JVM was measured)
 * @param enqueueJobsPerSecond jobs accepted per second, first request sent to last response
 * @param deliveryJobsPerSecond jobs delivered per second, first request sent to last first arrival
 * @param p50Millis median enqueue-to-delivery latency
 * @param p99Millis 99th percentile enqueue-to-delivery latency
 * @param maxMillis largest enqueue-to-delivery latency
 * @param sluiceCpuMsPerJob CPU the Sluice JVM used per job from the first enqueue until every job arrived
 * @param machineCpuMsPerJob the same for the whole machine: Sluice, PostgreSQL, this load generator and receiver
 * @param duplicates deliveries beyond the first per job id
 * @param lost jobs never delivered before the timeout
 * @param unrecognised deliveries without {@code webhook-id} or a known {@code seq}
 * @param coldStartSeconds time from launch to ready
 * @param peakRssMb peak resident set size of the Sluice JVM
 * @param peakTreeMb peak sampled memory of Sluice and its child processes
 */
public record BenchmarkReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int jobs,
        int payloadBytes,
        int bulkSize,
        int concurrency,
        int warmupJobs,
        double enqueueJobsPerSecond,
        Double deliveryJobsPerSecond,
        Double p50Millis,
        Double p99Millis,
        Double maxMillis,
        Double sluiceCpuMsPerJob,
        Double machineCpuMsPerJob,
        long duplicates,
        long lost,
        long unrecognised,
        Double coldStartSeconds,
        Long peakRssMb,
        Long peakTreeMb) implements ResultSection {

    /** The Markdown section of this run, starting with its {@code ##} heading. */
    @Override
    public String toMarkdown() {
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Jobs", integer(jobs))
                .row("Payload", integer(payloadBytes) + " bytes")
                .row("Bulk size × concurrency", bulkSize + " × " + concurrency)
                .row("Warm-up before the measured jobs", warmupJobs == 0 ? "none (cold JVM)"
                        : integer(warmupJobs) + " jobs delivered")
                .row("Enqueue rate", rate(enqueueJobsPerSecond))
                .row("End-to-end delivery rate", rate(deliveryJobsPerSecond))
                .row("Enqueue → delivery latency p50", millis(p50Millis))
                .row("Enqueue → delivery latency p99", millis(p99Millis))
                .row("Enqueue → delivery latency max", millis(maxMillis))
                .row("CPU per job, Sluice JVM", cpu(sluiceCpuMsPerJob))
                .row("CPU per job, whole machine (includes the load generator and receiver)", cpu(machineCpuMsPerJob))
                .row("Duplicate deliveries", integer(duplicates))
                .row("Lost jobs", integer(lost));
        if (unrecognised > 0) {
            table.row("Unrecognised deliveries", integer(unrecognised));
        }
        table.row("Cold start", seconds(coldStartSeconds))
                .row("Peak RSS, Sluice JVM", peakRssMb == null ? "n/a" : integer(peakRssMb) + " MiB")
                .row("Peak memory, Sluice + its PostgreSQL (PSS, sampled every second)",
                        peakTreeMb == null ? "n/a" : integer(peakTreeMb) + " MiB");
        return table.render(date, label, command, machine);
    }
}
