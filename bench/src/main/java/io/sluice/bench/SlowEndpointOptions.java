package io.sluice.bench;

/**
 * Settings of {@code --scenario=slow-endpoint}.
 *
 * @param slowPercent    share of the mixed workload's jobs sent to the endpoint that never
 *                       answers: 10 % means {@code --jobs} healthy jobs plus {@code jobs / 9} slow
 * @param timeoutSeconds {@code timeout_seconds} of the slow endpoint (the API allows 1 to 60):
 *                       every attempt there ends by this timeout
 */
public record SlowEndpointOptions(int slowPercent, int timeoutSeconds) {

    static final int DEFAULT_SLOW_PERCENT = 10;
    static final int DEFAULT_TIMEOUT_SECONDS = 2;

    /** Jobs for the slow endpoint beside {@code healthyJobs}, so that they are {@code slowPercent} of all. */
    public int slowJobs(int healthyJobs) {
        return (int) Math.round((double) healthyJobs * slowPercent / (100 - slowPercent));
    }
}
