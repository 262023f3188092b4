package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.millis;
import static io.sluice.bench.MarkdownTable.rate;
import static io.sluice.bench.MarkdownTable.seconds;
import static io.sluice.bench.MarkdownTable.signedMillis;

import java.time.Instant;
import java.util.Locale;

import io.sluice.core.delivery.RetrySchedule;

/**
 * The figures of one {@code --scenario=flaky} run and their Markdown section.
 *
 * @param date               when the run finished
 * @param label              from {@code --label}
 * @param command            the command line
 * @param machine            from {@link MachineInfo#describe()}
 * @param sluice             how the Sluice measured was started
 * @param payloadBytes       size of each payload
 * @param bulkSize           jobs per bulk request
 * @param concurrency        bulk requests in flight
 * @param warmUp             the warm-up, as written in the report
 * @param flaky              failure share, seed and retry settings
 * @param jobs               jobs enqueued
 * @param enqueueJobsPerSecond jobs accepted per second
 * @param completionSeconds  first enqueue request sent to the last job's first 2xx; null unless all were delivered
 * @param neverDelivered     jobs never answered 2xx before the timeout
 * @param plan               what the seeded answers demand
 * @param seen               what the receiver saw
 * @param metrics            Sluice's retry metrics, read after the run
 * @param unrecognised       deliveries without {@code webhook-id} or a known {@code seq}
 */
public record FlakyReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int payloadBytes,
        int bulkSize,
        int concurrency,
        String warmUp,
        FlakyOptions flaky,
        int jobs,
        double enqueueJobsPerSecond,
        Double completionSeconds,
        long neverDelivered,
        FlakyPlan plan,
        AttemptLog.Summary seen,
        RetryMetrics metrics,
        long unrecognised) implements ResultSection {

    /**
     * Micrometer's quantiles cover a sliding window of two minutes in three rotating buffers, so a
     * reading is sure to cover only the last 80 s.
     */
    static final double QUANTILE_WINDOW_SECONDS = 80;
    /** The bar for the p99 lateness of retries, and the tier it is set for. */
    static final double LATENESS_BAR_SECONDS = 1.0;
    static final String BAR_TIER = "5s";

    @Override
    public long lost() {
        return neverDelivered;
    }

    @Override
    public String toMarkdown() {
        RetrySchedule schedule = flaky.schedule();
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Retry tiers / schedule", "`" + flaky.retryTiers() + "` / `" + flaky.retrySchedule()
                        + "` (the last delay repeats), `default_max_retries` " + flaky.maxRetries())
                .row("Receiver", flaky.failurePercent() + " % of attempts answered 503 (seed " + flaky.seed()
                        + ", per job and attempt), 204 otherwise")
                .row("Jobs", integer(jobs))
                .row("Payload", integer(payloadBytes) + " bytes")
                .row("Bulk size × concurrency", bulkSize + " × " + concurrency)
                .row("Warm-up before the measured jobs", warmUp)
                .row("Enqueue rate", rate(enqueueJobsPerSecond))
                .row("First enqueue → last job's first 2xx", seconds(completionSeconds))
                .row("Unluckiest job by the seed: 503s before its 2xx, scheduled wait (±10 % jitter)",
                        plan.worstFailures() + ", " + seconds(plan.worstScheduledWait().toMillis() / 1000.0))
                .row("Jobs never delivered (bar: 0)", integer(neverDelivered))
                .row("Duplicate successful deliveries (2xx more than once per job)", integer(seen.duplicateSuccesses()))
                .row("Attempts after a job's first 2xx", integer(seen.afterSuccess()))
                .row("Attempts received (planned)", integer(seen.attempts()) + " (" + integer(plan.attempts()) + ")")
                .row("Answered 503 (planned)", integer(seen.refused()) + " (" + integer(plan.refusals()) + ")")
                .row("Retries forwarded, Sluice (`sluice_retry_forwarded_total`)", integer(metrics.forwarded()))
                .row("Dead-lettered, Sluice (`sluice_worker_dead_letters_total`)", integer(metrics.deadLetters()))
                .row("Retry lateness p50, Sluice (" + BAR_TIER + " tier)", secondsAsMillis(metrics.latenessP50Seconds()))
                .row("Retry lateness p99, Sluice (" + BAR_TIER + " tier; bar: ≤ 1 s)",
                        secondsAsMillis(metrics.latenessP99Seconds()) + verdict(metrics.latenessP99Seconds()))
                .row("Retry lateness max, Sluice (" + BAR_TIER + " tier)", secondsAsMillis(metrics.latenessMaxSeconds()))
                .row("Retry lateness mean over the whole run, Sluice (" + BAR_TIER + " tier)",
                        secondsAsMillis(metrics.latenessMeanSeconds()));
        for (AttemptLog.TierGaps tier : seen.gaps()) {
            table.row("Receiver-side gap − delay, " + RetrySchedule.label(tier.delay()) + " delay ("
                    + integer(tier.gaps()) + " retries)", String.format(Locale.ROOT,
                    "p50 %s, p99 %s, max %s; early %d; > 1 s late for sure %d", signedMillis(tier.p50Millis()),
                    signedMillis(tier.p99Millis()), signedMillis(tier.maxMillis()), tier.early(),
                    tier.surelyLateOverOneSecond()));
        }
        if (unrecognised > 0) {
            table.row("Unrecognised deliveries", integer(unrecognised));
        }
        table.note("Retry lateness from Sluice is `sluice_retry_lateness_seconds`: how long after its due time each"
                + " retry was sent back to the deliveries topic, known exactly by Sluice; the attempt starts once a"
                + " worker has read it from there, a trip the receiver-side gaps include. It is tagged by tier; shown here for the "
                + BAR_TIER + " tier of the bar; p50, p99 and max are Micrometer's sliding window (at least the last "
                + (int) QUANTILE_WINDOW_SECONDS + " s, read right after the run), the mean covers every retry."
                + (completionSeconds == null || completionSeconds > QUANTILE_WINDOW_SECONDS
                ? " This run took longer than that window: its early retries may be missing from p50/p99/max." : ""));
        table.note("Receiver-side gaps are the time from a refused attempt to the next attempt of the same job,"
                + " less the scheduled delay. Sluice draws each delay ±10 %, so they are approximate; "
                + "\"early\" (gap under 90 % of the delay) and \"> 1 s late for sure\" (over 110 % plus 1 s) are exact.");
        return table.render(date, label + " — flaky receiver, " + flaky.failurePercent() + " % 503", command, machine);
    }

    private static String secondsAsMillis(Double seconds) {
        return millis(seconds == null ? null : seconds * 1000);
    }

    private static String verdict(Double p99Seconds) {
        if (p99Seconds == null) {
            return "";
        }
        return p99Seconds <= LATENESS_BAR_SECONDS ? " (within the bar)" : " (over the bar)";
    }
}
