package io.sluice.core.stats;

/**
 * Percentiles of a duration in milliseconds over some jobs ({@code count}); null percentiles when
 * there were none. Read from a histogram whose buckets are about 9 % wide, so each is within
 * about 5 % of the exact value.
 */
public record LatencyPercentiles(long count, Long p50, Long p90, Long p99) {

    public static final LatencyPercentiles NONE = new LatencyPercentiles(0, null, null, null);
}
