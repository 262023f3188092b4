package io.sluice.bench;

import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies, by the nearest-rank method.
 *
 * <p>Why exact and nearest-rank: the benchmark holds every sample anyway (one {@code long} per job),
 * so sorting them costs a few milliseconds and avoids the approximation of a histogram. Nearest
 * rank always returns a latency that was actually observed (no interpolation between two jobs),
 * which is what a reader expects "p99" to mean: 99% of jobs took at most this long.
 */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /** Builds percentiles over a copy of {@code values}; the argument is left untouched. */
    public static Percentiles of(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** Number of samples. */
    public int count() {
        return sorted.length;
    }

    /**
     * The smallest sample such that at least {@code p} percent of samples are at most it.
     *
     * @param p in {@code [0, 100]}; 0 gives the minimum, 100 the maximum
     * @throws IllegalStateException when there are no samples
     */
    public long percentile(double p) {
        if (p < 0 || p > 100 || Double.isNaN(p)) {
            throw new IllegalArgumentException("percentile must be within [0, 100]: " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalStateException("no samples");
        }
        long rank = (long) Math.ceil(p * sorted.length / 100.0);
        int index = (int) Math.max(0, Math.min(sorted.length - 1, rank - 1));
        return sorted[index];
    }

    /** The largest sample. */
    public long max() {
        return percentile(100);
    }
}
