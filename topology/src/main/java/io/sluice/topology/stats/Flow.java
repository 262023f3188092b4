package io.sluice.topology.stats;

import io.sluice.core.job.JobState;

/**
 * What came out of a scope in some span of time: outcomes counted, and how long the completed
 * took. For an endpoint the outcomes are its attempts: {@code delivered} the answered 2xx,
 * {@code failed} the others, and the latency is how long each attempt took.
 */
final class Flow {

    long delivered;
    long failed;
    long deadLettered;
    final LatencyHistogram latency = new LatencyHistogram();

    /** Counts a job that moved into {@code to}, enqueued {@code latencyMillis} before. */
    void record(JobState to, long latencyMillis) {
        switch (to) {
            case COMPLETED -> {
                delivered++;
                latency.record(latencyMillis);
            }
            case FAILED -> failed++;
            case DEADLETTER -> {
                failed++;
                deadLettered++;
            }
            default -> {
            }
        }
    }

    /** Counts an attempt at an endpoint that took {@code millis}. */
    void recordAttempt(boolean succeeded, long millis) {
        if (succeeded) {
            delivered++;
        } else {
            failed++;
        }
        latency.record(millis);
    }

    void add(Flow other) {
        delivered += other.delivered;
        failed += other.failed;
        deadLettered += other.deadLettered;
        latency.add(other.latency);
    }

    /** Whether a move into this state is an outcome a flow counts. */
    static boolean counts(JobState to) {
        return to == JobState.COMPLETED || to == JobState.FAILED || to == JobState.DEADLETTER;
    }
}
