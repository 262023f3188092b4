package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.millis;
import static io.sluice.bench.MarkdownTable.percent;
import static io.sluice.bench.MarkdownTable.rate;

import java.time.Instant;

/**
 * The figures of one {@code --scenario=slow-endpoint} run and their Markdown section.
 *
 * @param date         when the run finished
 * @param label        from {@code --label}
 * @param command      the command line
 * @param machine      from {@link MachineInfo#describe()}
 * @param sluice       how the Sluice measured was started
 * @param payloadBytes size of each payload
 * @param bulkSize     jobs per bulk request
 * @param concurrency  bulk requests in flight
 * @param warmUp       the warm-up, as written in the report
 * @param slowEndpoint share and timeout of the slow endpoint
 * @param mix          the mixed phase's jobs
 * @param alone        the healthy endpoint alone
 * @param beside       the healthy endpoint beside the slow one
 */
public record SlowEndpointReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int payloadBytes,
        int bulkSize,
        int concurrency,
        String warmUp,
        SlowEndpointOptions slowEndpoint,
        JobMix mix,
        Phase alone,
        Phase beside) implements ResultSection {

    /** The bar: the share of its delivery rate the healthy endpoint keeps. */
    static final double KEPT_BAR_PERCENT = 90;

    /**
     * One phase's figures, for its healthy jobs.
     *
     * @param enqueueJobsPerSecond jobs accepted per second, slow ones included
     * @param healthyJobsPerSecond healthy jobs delivered per second, first request sent to last first
     *                             arrival; null unless all arrived
     * @param p50Millis            median enqueue-to-delivery latency of healthy jobs
     * @param p99Millis            99th percentile
     * @param lost                 healthy jobs not delivered before the timeout
     * @param duplicates           healthy deliveries beyond the first per job
     * @param unrecognised         deliveries at the healthy receiver without {@code webhook-id} or a known {@code seq}
     * @param slowConnections      connections the slow endpoint accepted until the phase ended
     */
    public record Phase(double enqueueJobsPerSecond, Double healthyJobsPerSecond, Double p50Millis, Double p99Millis,
                        long lost, long duplicates, long unrecognised, long slowConnections) {
    }

    @Override
    public long lost() {
        return alone.lost() + beside.lost();
    }

    /** The mixed phase's healthy rate as a share of the healthy-only rate; null when either is missing. */
    public Double keptPercent() {
        if (alone.healthyJobsPerSecond() == null || beside.healthyJobsPerSecond() == null) {
            return null;
        }
        return 100 * beside.healthyJobsPerSecond() / alone.healthyJobsPerSecond();
    }

    @Override
    public String toMarkdown() {
        Double kept = keptPercent();
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Slow endpoint", "accepts connections, never answers; `timeout_seconds` "
                        + slowEndpoint.timeoutSeconds() + "; Sluice's default retry schedule")
                .row("Healthy jobs per phase", integer(mix.healthy()))
                .row("Slow-endpoint jobs in the mixed phase", integer(mix.slow()) + " (" + slowEndpoint.slowPercent()
                        + " % of " + integer(mix.total()) + ", spread through every bulk request)")
                .row("Payload", integer(payloadBytes) + " bytes")
                .row("Bulk size × concurrency", bulkSize + " × " + concurrency)
                .row("Warm-up before the measured jobs", warmUp)
                .row("Healthy alone: enqueue rate", rate(alone.enqueueJobsPerSecond()))
                .row("Healthy alone: healthy delivery rate", rate(alone.healthyJobsPerSecond()))
                .row("Healthy alone: enqueue → delivery p50 / p99",
                        millis(alone.p50Millis()) + " / " + millis(alone.p99Millis()))
                .row("With slow endpoint: enqueue rate (all jobs)", rate(beside.enqueueJobsPerSecond()))
                .row("With slow endpoint: healthy delivery rate", rate(beside.healthyJobsPerSecond()))
                .row("With slow endpoint: healthy enqueue → delivery p50 / p99",
                        millis(beside.p50Millis()) + " / " + millis(beside.p99Millis()))
                .row("Healthy rate kept with the slow endpoint (bar: ≥ 90 %)", percent(kept)
                        + (kept == null ? "" : kept >= KEPT_BAR_PERCENT ? " (meets the bar)" : " (below the bar)"))
                .row("Connections the slow endpoint accepted until the last healthy delivery",
                        integer(beside.slowConnections()))
                .row("Healthy jobs never delivered", integer(lost()))
                .row("Duplicate healthy deliveries", integer(alone.duplicates() + beside.duplicates()));
        long unrecognised = alone.unrecognised() + beside.unrecognised();
        if (unrecognised > 0) {
            table.row("Unrecognised deliveries", integer(unrecognised));
        }
        table.note("Rates run from the first enqueue request to the last healthy job's first delivery. The slow"
                + " endpoint's jobs are not waited for: they time out, are retried and dead-lettered later. The"
                + " healthy-only phase runs first, on the same Sluice.");
        return table.render(date, label + " — slow endpoint, " + slowEndpoint.slowPercent() + " % of jobs",
                command, machine);
    }
}
