package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a schedule's history.
 *
 * @param status      {@code triggered} (a job was created) or {@code skipped} (its previous job was still running)
 * @param startedAt   when the run happened
 * @param completedAt when its job completed, or null
 * @param jobStatus   its job's state now, or null
 */
public record ScheduleRun(UUID id, UUID scheduleId, UUID jobId, String status, String errorMessage, Instant fireTime,
                          Instant startedAt, Instant completedAt, String jobStatus) {
}
