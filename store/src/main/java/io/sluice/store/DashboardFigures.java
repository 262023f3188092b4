package io.sluice.store;

import java.util.List;

/**
 * One organization's figures for the dashboard, from one pass over its jobs.
 *
 * @param avgWaitTimeMs        from acceptance to start, of the jobs started in the last 24 h; null when none
 * @param avgProcessingTimeMs  from start to completion, of the jobs completed in the last 24 h; null when none
 */
public record DashboardFigures(long total, long pending, long processing, long completed24h, long failed24h,
                               long deadletter, Double avgWaitTimeMs, Double avgProcessingTimeMs,
                               long created1h, long completed1h, long failed1h, List<QueueLoad> queues,
                               long workers, long healthyWorkers) {

    public record QueueLoad(String name, long pending, long processing, boolean paused) {
    }

    public DashboardFigures {
        queues = List.copyOf(queues);
    }
}
