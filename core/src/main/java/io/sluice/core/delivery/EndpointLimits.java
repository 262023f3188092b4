package io.sluice.core.delivery;

/**
 * How hard one endpoint may be driven, as its owner set it. The worker enforces both per
 * endpoint; a delivery over a limit waits in the retry path without spending an attempt.
 *
 * @param ratePerSecond  deliveries started per second at most; null: no limit
 * @param maxConcurrency deliveries in flight at most; null: the worker's default
 */
public record EndpointLimits(Integer ratePerSecond, Integer maxConcurrency) {

    public static final EndpointLimits NONE = new EndpointLimits(null, null);
    public static final int MAX_RATE_PER_SECOND = 100_000;
    public static final int MAX_CONCURRENCY = 1_000;

    public EndpointLimits {
        if (ratePerSecond != null && (ratePerSecond < 1 || ratePerSecond > MAX_RATE_PER_SECOND)) {
            throw new IllegalArgumentException("rate_limit must be between 1 and " + MAX_RATE_PER_SECOND + " deliveries per second");
        }
        if (maxConcurrency != null && (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY)) {
            throw new IllegalArgumentException("max_concurrency must be between 1 and " + MAX_CONCURRENCY);
        }
    }
}
