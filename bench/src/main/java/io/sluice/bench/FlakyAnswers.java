package io.sluice.bench;

/**
 * Decides which attempts the flaky receiver refuses with 503: attempt {@code attempt} of job
 * {@code seq} fails when a hash of (seed, seq, attempt) falls below {@code failurePercent}.
 *
 * <p>Why a hash and not a shared random generator: the answer must not depend on the order in
 * which the receiver's threads happen to see attempts, so that every run with the same seed
 * refuses the same attempts of the same jobs. That makes runs comparable (same number of 503s,
 * same longest chain of retries) and lets the bench work out before a run what the workload
 * demands ({@link #failuresBeforeSuccess}), e.g. the scheduled wait of the unluckiest job, which
 * no delivery system can beat. Attempts are independent: each one fails with the same probability,
 * whatever happened to the job before.
 *
 * @param failurePercent share of attempts that fail, 0 to 99
 * @param seed           chooses which ones
 */
public record FlakyAnswers(int failurePercent, long seed) {

    /** The answer to a refused attempt: the receiver is briefly unavailable, a retryable failure. */
    public static final int REFUSED = 503;
    /** The answer to an accepted attempt, as {@link FastReceiver} gives every delivery. */
    public static final int ACCEPTED = 204;

    public FlakyAnswers {
        if (failurePercent < 0 || failurePercent > 99) {
            throw new IllegalArgumentException("failurePercent must be within 0..99: " + failurePercent);
        }
    }

    /** The status for attempt {@code attempt} (from 1) of the job with {@code seq}. */
    public int status(long seq, int attempt) {
        return fails(seq, attempt) ? REFUSED : ACCEPTED;
    }

    /** Whether attempt {@code attempt} (from 1) of the job with {@code seq} is refused. */
    public boolean fails(long seq, int attempt) {
        long hash = mix(seed + mix(seq * 0x9E3779B97F4A7C15L + attempt));
        // The top 53 bits as a fraction in [0, 1): uniform, no modulo bias.
        return (hash >>> 11) * 0x1.0p-53 * 100 < failurePercent;
    }

    /** How many attempts of job {@code seq} fail before one succeeds (at most {@code limit}). */
    public int failuresBeforeSuccess(long seq, int limit) {
        int failures = 0;
        while (failures < limit && fails(seq, failures + 1)) {
            failures++;
        }
        return failures;
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
