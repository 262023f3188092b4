package io.sluice.core.reconcile;

import java.time.Duration;
import java.time.Instant;

/**
 * What the reconciler does about a job it looks at: nothing more (it ended), look again later
 * (it is on its way, or held in PostgreSQL), send it on again because it should have moved
 * long ago and has not, which means the record carrying it was lost between two stages, or name
 * a worker's lease that ran out long ago to the lease reaper again, which means nothing told the
 * reaper of it (a node of an earlier release, which wrote no lease grants, leased it).
 *
 * <p>A job is late once it has waited {@code stuckAfter} beyond the time it should have moved:
 * its last change when no attempt is due, its next attempt's time when one is. Every repair
 * doubles the wait before the next (up to 32 times), so a backlog that only looks like a loss
 * costs a few duplicate deliveries at most, which receivers de-duplicate by {@code webhook-id}.
 */
public sealed interface Reconciliation {

    /** The job ended: the reconciler forgets it. */
    record Settled() implements Reconciliation {
    }

    /** Look again at {@code at}. */
    record LookAgain(Instant at) implements Reconciliation {
    }

    /**
     * Send it on again, at {@code attempt} (the attempt that was lost), then look again at
     * {@code lookAgainAt}.
     */
    record Republish(int attempt, String reason, Instant lookAgainAt) implements Reconciliation {
    }

    /**
     * Name the job's lease, which ran out long ago, to the lease reaper (a lease grant), so that it
     * takes the job back down the retry path; then look again at {@code lookAgainAt}.
     */
    record Regrant(String reason, Instant lookAgainAt) implements Reconciliation {
    }

    /**
     * @param heldInStore whether the job waits in PostgreSQL (outbox, FIFO lane, parked for a
     *                    paused queue): nothing to repair, it is not lost
     */
    static Reconciliation of(JobSighting job, boolean heldInStore, Instant now, Duration stuckAfter) {
        Duration patience = stuckAfter.multipliedBy(1L << Math.min(job.repairs(), 5));
        return switch (job.state()) {
            case COMPLETED, DEADLETTER, CANCELLED, FAILED -> new Settled();
            // Waiting in PostgreSQL for its time or its dependencies: nothing in Kafka to lose yet.
            case SCHEDULED -> new LookAgain(later(job.scheduledAt(), now).plus(patience));
            case PROCESSING -> {
                // Leased to an external worker: the lease reaper takes it back when the lease runs
                // out, if a grant names it. One that is still leased long after is named again.
                if (job.leaseExpiresAt() == null) {
                    yield new LookAgain(now.plus(patience));
                }
                Instant late = job.leaseExpiresAt().plus(patience);
                if (late.isAfter(now)) {
                    yield new LookAgain(late);
                }
                yield new Regrant("its lease ran out at " + job.leaseExpiresAt() + " and nothing took it back",
                        now.plus(patience.multipliedBy(2)));
            }
            case PENDING -> {
                if (heldInStore) {
                    yield new LookAgain(now.plus(patience));
                }
                Instant due = job.nextAttemptAt() != null ? job.nextAttemptAt() : job.updatedAt();
                Instant late = due.plus(patience);
                if (late.isAfter(now)) {
                    yield new LookAgain(late);
                }
                int attempt = job.nextAttemptAt() != null ? job.retryCount() + 2 : job.retryCount() + 1;
                String reason = job.nextAttemptAt() != null
                        ? "its attempt " + attempt + " was due at " + due + " and never came"
                        : "nothing happened to it since " + due;
                yield new Republish(attempt, reason, now.plus(patience.multipliedBy(2)));
            }
        };
    }

    private static Instant later(Instant time, Instant now) {
        return time != null && time.isAfter(now) ? time : now;
    }
}
