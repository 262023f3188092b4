package io.sluice.topology.stats;

import io.sluice.core.stats.LatencyPercentiles;
import java.util.Map;
import java.util.TreeMap;

/**
 * Durations in milliseconds counted in logarithmic buckets, each 2^(1/8) (about 9 %) wider than
 * the one before: a few dozen numbers cover 1 ms to days, two histograms add up bucket by
 * bucket, and a percentile read from one is within about 5 % of the exact value. Bucket 0 holds
 * durations under a millisecond; bucket {@code i > 0} holds those up to 2^((i-1)/8) ms.
 */
final class LatencyHistogram {

    private static final double BUCKETS_PER_DOUBLING = 8;

    /** Bucket index to how many durations fell in it; only non-empty buckets. */
    private final TreeMap<Integer, Long> buckets = new TreeMap<>();
    private long count;

    void record(long millis) {
        add(bucketOf(millis), 1);
    }

    void add(LatencyHistogram other) {
        other.buckets.forEach(this::add);
    }

    void add(int bucket, long times) {
        buckets.merge(bucket, times, Long::sum);
        count += times;
    }

    Map<Integer, Long> buckets() {
        return buckets;
    }

    LatencyPercentiles percentiles() {
        if (count == 0) {
            return LatencyPercentiles.NONE;
        }
        return new LatencyPercentiles(count, percentile(0.50), percentile(0.90), percentile(0.99));
    }

    /** The duration below which a share {@code q} of those counted lie, as its bucket's middle. */
    long percentile(double q) {
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return middleOf(bucket.getKey());
            }
        }
        return middleOf(buckets.lastKey());
    }

    static int bucketOf(long millis) {
        if (millis < 1) {
            return 0;
        }
        return 1 + (int) Math.ceil(BUCKETS_PER_DOUBLING * Math.log(millis) / Math.log(2) - 1e-9);
    }

    /** The geometric middle of a bucket, in whole milliseconds. */
    static long middleOf(int bucket) {
        if (bucket == 0) {
            return 0;
        }
        return Math.max(1, Math.round(Math.pow(2, (bucket - 1.5) / BUCKETS_PER_DOUBLING)));
    }
}
