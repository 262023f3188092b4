package io.sluice.bench;

import java.util.OptionalDouble;

/**
 * Sluice's own account of its retries, read from {@code /actuator/prometheus}.
 *
 * <p>Why Sluice's metric is the lateness figure to trust: the retry tier consumer records, for
 * each retry, how long after its due time it sent the retry back for delivery, knowing the due
 * time exactly; the receiver sees only gaps between attempts, which include ±10 % jitter. Two
 * limits, both stated in the report: the timer has no tier tag, so its quantiles cover every tier
 * together; and Micrometer computes quantiles over a sliding window (about the last two minutes),
 * while the count and sum, hence the mean, cover the whole life of the process.
 *
 * @param latenessP50Seconds median lateness (windowed), null when not exported
 * @param latenessP99Seconds 99th percentile lateness (windowed)
 * @param latenessMaxSeconds largest lateness (windowed)
 * @param latenessCount      retries timed since start
 * @param latenessSumSeconds their total lateness
 * @param forwarded          retries sent back for delivery since start
 * @param deadLetters        jobs dead-lettered since start
 * @param attempts           delivery attempts since start
 */
public record RetryMetrics(Double latenessP50Seconds, Double latenessP99Seconds, Double latenessMaxSeconds,
                           long latenessCount, double latenessSumSeconds, long forwarded, long deadLetters,
                           long attempts) {

    static final String LATENESS = "sluice_retry_lateness_seconds";

    /**
     * The figures in one scrape, lateness for one retry tier (Sluice tags it by tier, e.g.
     * {@code 5s}); a missing sample reads as null (quantiles) or 0 (counters).
     */
    static RetryMetrics parse(String text, String tier) {
        String tag = "tier=\"" + tier + "\"";
        return new RetryMetrics(
                boxed(PrometheusText.value(text, LATENESS + "{" + tag + ",quantile=\"0.5\"}")),
                boxed(PrometheusText.value(text, LATENESS + "{" + tag + ",quantile=\"0.99\"}")),
                boxed(PrometheusText.value(text, LATENESS + "_max{" + tag + "}")),
                (long) PrometheusText.value(text, LATENESS + "_count{" + tag + "}").orElse(0),
                PrometheusText.value(text, LATENESS + "_sum{" + tag + "}").orElse(0),
                (long) PrometheusText.value(text, "sluice_retry_forwarded_total").orElse(0),
                (long) PrometheusText.value(text, "sluice_worker_dead_letters_total").orElse(0),
                (long) PrometheusText.value(text, "sluice_worker_attempts_total").orElse(0));
    }

    /** Mean lateness over every retry since start; null when there was none. */
    public Double latenessMeanSeconds() {
        return latenessCount == 0 ? null : latenessSumSeconds / latenessCount;
    }

    private static Double boxed(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
