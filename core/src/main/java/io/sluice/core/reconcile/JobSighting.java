package io.sluice.core.reconcile;

import io.sluice.core.job.JobState;
import java.time.Instant;

/**
 * What the reconciler sees of a job in PostgreSQL when it looks.
 *
 * @param nextAttemptAt when a pending job's next attempt is due; null when none failed since it was (re)started
 * @param updatedAt     its last change of state
 * @param scheduledAt   not to run before then, or null
 * @param retryCount    attempts after the first since it was (re)started
 * @param repairs       how often the reconciler repaired it already
 * @param leaseExpiresAt when an external worker's lease on it runs out; null when none holds it
 */
public record JobSighting(JobState state, Instant nextAttemptAt, Instant updatedAt, Instant scheduledAt,
                          int retryCount, int repairs, Instant leaseExpiresAt) {
}
