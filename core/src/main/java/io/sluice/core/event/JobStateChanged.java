package io.sluice.core.event;

import io.sluice.core.job.JobState;
import java.time.Instant;
import java.util.UUID;

/**
 * A job's state changed in PostgreSQL, as the database recorded it in the same transaction
 * (every insert, state change and removal of a job is recorded, whichever code made it).
 *
 * @param version   orders the changes of one job: a later change has a higher version, so a
 *                  reader keeps the highest it has seen and ignores duplicates and stragglers
 * @param from      the state before, or null for a new job
 * @param to        the state after, or null when the job is gone (deleted, or dropped by retention)
 * @param createdAt when the job was created, for enqueue-to-outcome latency
 * @param priority  the job's priority
 * @param attempts  attempts made so far
 * @param error     why it failed, for a job that failed for good ({@code deadletter}, {@code failed})
 *                  or went back to waiting after a failed attempt ({@code processing} to
 *                  {@code pending} or {@code scheduled}); else null
 * @param at        when the change was made
 * @param fromQueueName the queue the job was in before (the same as {@code queueName} unless it
 *                  moved), or null for a new job
 * @param fromSince when the job entered {@code from}, or null for a new job (and for changes
 *                  recorded before migration V31 told it)
 * @param since     when the job entered {@code to}, or null for a gone job (and for changes
 *                  recorded before migration V31 told it)
 */
public record JobStateChanged(long version, UUID jobId, UUID organizationId, String queueName, JobState from,
                              JobState to, Instant createdAt, int priority, int attempts, String error, Instant at,
                              String fromQueueName, Instant fromSince, Instant since)
        implements JobEvent {

    public JobStateChanged {
        // Absent where the queue did not change (the wire leaves it out then, and records
        // written before migration V31 never had it).
        if (fromQueueName == null && from != null) {
            fromQueueName = queueName;
        }
    }

    @Override
    public String type() {
        return JobEvent.JOB_STATE;
    }

    /** The job no longer exists: it counts in no state any more. */
    public boolean gone() {
        return to == null;
    }
}
