package io.sluice.core.stats;

import java.time.Instant;

/**
 * How work flows through a scope, as of {@code at}: outcomes per second over the last second,
 * minute and hour, how long jobs took from enqueue to delivery, and how long the oldest pending
 * job has waited.
 *
 * @param delivered       jobs completed
 * @param failed          jobs that failed for good (dead-lettered, or failed by a worker that may not retry)
 * @param deadLettered    jobs that reached the dead-letter queue (its growth)
 * @param latencyLastMinute enqueue-to-completion time of the jobs completed in the last minute
 * @param latencyLastHour   the same over the last hour
 * @param oldestPendingMs how long the job longest in {@code pending} has been there (a job waiting
 *                        for its next attempt is pending too), null when none is
 */
public record ScopeFlow(Instant at, FlowRates delivered, FlowRates failed, FlowRates deadLettered,
                        LatencyPercentiles latencyLastMinute, LatencyPercentiles latencyLastHour,
                        Long oldestPendingMs) {
}
