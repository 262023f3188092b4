package io.sluice.core.work;

import io.sluice.core.job.JobState;
import java.time.Instant;
import java.util.UUID;

/**
 * Whether a worker's call (complete, fail, extend) may act on a job, decided from the job's
 * locked row. A call naming a {@code lease_id} is fenced by it; one without is fenced by the
 * worker's id. A lease past its expiry is over even before the reaper has taken it back.
 */
public final class LeaseCheck {

    /** The lease as the job's row holds it. */
    public record JobLease(JobState state, UUID assignedWorker, UUID leaseId, Instant leaseExpiresAt) {
    }

    public sealed interface Verdict {
        /** The caller holds the live lease. */
        record Held() implements Verdict {
        }

        /** The job is done already. */
        record AlreadyCompleted() implements Verdict {
        }

        /** The named lease is stale: expired, taken back, or another lease now. */
        record Expired() implements Verdict {
        }

        /** Without a lease id: the job is not leased to this worker. */
        record NotOwned() implements Verdict {
        }
    }

    private LeaseCheck() {
    }

    public static Verdict check(JobLease job, UUID worker, UUID givenLeaseId, Instant now) {
        if (job.state() == JobState.COMPLETED) {
            return new Verdict.AlreadyCompleted();
        }
        boolean live = job.state() == JobState.PROCESSING && job.leaseId() != null
                && job.leaseExpiresAt() != null && job.leaseExpiresAt().isAfter(now);
        if (givenLeaseId != null) {
            return live && givenLeaseId.equals(job.leaseId()) && worker.equals(job.assignedWorker())
                    ? new Verdict.Held() : new Verdict.Expired();
        }
        if (!worker.equals(job.assignedWorker())) {
            return new Verdict.NotOwned();
        }
        return live ? new Verdict.Held() : new Verdict.Expired();
    }
}
