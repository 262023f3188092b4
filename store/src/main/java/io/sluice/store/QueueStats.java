package io.sluice.store;

/**
 * What a queue holds and did over the last 24 hours.
 *
 * @param pendingJobs         waiting (pending or scheduled)
 * @param processingJobs      with an attempt or a worker's lease in flight
 * @param completedJobs24h    completed in the last 24 hours
 * @param failedJobs24h       failed or dead-lettered in the last 24 hours
 * @param avgProcessingTimeMs from first start to completion, of those completed in the last 24 hours; 0 when none
 * @param maxJobAgeSeconds    age of its oldest waiting job; 0 when none waits
 */
public record QueueStats(long pendingJobs, long processingJobs, long completedJobs24h, long failedJobs24h,
                         double avgProcessingTimeMs, long maxJobAgeSeconds) {
}
