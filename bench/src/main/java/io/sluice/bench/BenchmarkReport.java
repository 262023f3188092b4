package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one benchmark run, and their Markdown rendering appended to {@code BENCHMARKS.md}.
 *
 * <p>Why append-only and machine-written: published performance numbers are only credible if each
 * one can be traced to a command and a machine. Each run adds a section with the date, the exact
 * command and the machine; earlier sections are never rewritten, and the file's preamble says that
 * figures are not to be edited by hand.
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
        Long peakTreeMb) {

    static final String PREAMBLE = """
            # Benchmarks

            Every figure here is written by `./bench.sh` (the bench module); never edit figures by hand.
            """;

    private static final DateTimeFormatter HEADING_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The Markdown section of this run, starting with its {@code ##} heading. */
    public String toMarkdown() {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("Sluice", sluice));
        rows.add(row("Jobs", integer(jobs)));
        rows.add(row("Payload", integer(payloadBytes) + " bytes"));
        rows.add(row("Bulk size × concurrency", bulkSize + " × " + concurrency));
        rows.add(row("Warm-up before the measured jobs", warmupJobs == 0 ? "none (cold JVM)"
                : integer(warmupJobs) + " jobs delivered"));
        rows.add(row("Enqueue rate", rate(enqueueJobsPerSecond)));
        rows.add(row("End-to-end delivery rate", deliveryJobsPerSecond == null ? "n/a" : rate(deliveryJobsPerSecond)));
        rows.add(row("Enqueue → delivery latency p50", millis(p50Millis)));
        rows.add(row("Enqueue → delivery latency p99", millis(p99Millis)));
        rows.add(row("Enqueue → delivery latency max", millis(maxMillis)));
        rows.add(row("CPU per job, Sluice JVM", cpu(sluiceCpuMsPerJob)));
        rows.add(row("CPU per job, whole machine (includes the load generator and receiver)", cpu(machineCpuMsPerJob)));
        rows.add(row("Duplicate deliveries", integer(duplicates)));
        rows.add(row("Lost jobs", integer(lost)));
        if (unrecognised > 0) {
            rows.add(row("Unrecognised deliveries", integer(unrecognised)));
        }
        rows.add(row("Cold start", coldStartSeconds == null ? "n/a"
                : String.format(Locale.ROOT, "%.1f s", coldStartSeconds)));
        rows.add(row("Peak RSS, Sluice JVM", peakRssMb == null ? "n/a" : integer(peakRssMb) + " MiB"));
        rows.add(row("Peak memory, Sluice + child processes (PSS, sampled every second)",
                peakTreeMb == null ? "n/a" : integer(peakTreeMb) + " MiB"));

        StringBuilder out = new StringBuilder();
        out.append("## ").append(HEADING_DATE.format(date)).append(" — ").append(label).append("\n\n");
        out.append("Command: `").append(command).append("`\n\n");
        out.append("Machine: ").append(machine).append("\n\n");
        out.append("| Figure | Value |\n|---|---:|\n");
        for (String[] row : rows) {
            out.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
        }
        return out.toString();
    }

    /**
     * Appends this run to {@code file}, creating it with the {@link #PREAMBLE} when it does not
     * exist. Existing content is never rewritten.
     */
    public void appendTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append(PREAMBLE);
        } else if (!endsWithNewline(file)) {
            text.append('\n');
        }
        text.append('\n').append(toMarkdown());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length > 0 && bytes[bytes.length - 1] == '\n';
    }

    private static String[] row(String name, String value) {
        return new String[] {name, value};
    }

    private static String integer(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String cpu(Double millisPerJob) {
        return millisPerJob == null ? "n/a" : String.format(Locale.ROOT, "%.3f ms", millisPerJob);
    }

    private static String rate(double jobsPerSecond) {
        return String.format(Locale.ROOT, "%,.0f jobs/s", jobsPerSecond);
    }

    private static String millis(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.1f ms", value);
    }
}
