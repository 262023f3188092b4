package io.sluice.store;

import java.time.Duration;
import java.time.Instant;

/** What a worker's complete, fail or lease extension did. */
public sealed interface LeaseOutcome {

    record Completed() implements LeaseOutcome {
    }

    /** The attempt failed and the job goes back to its queue after {@code delay}. */
    record WillRetry(Duration delay) implements LeaseOutcome {
    }

    record DeadLettered(String reason) implements LeaseOutcome {
    }

    record Extended(Instant leaseExpiresAt) implements LeaseOutcome {
    }

    /** No such job in the organization. */
    record NotFound() implements LeaseOutcome {
    }

    /** Without a lease id: the job is not leased to this worker. */
    record NotOwned() implements LeaseOutcome {
    }

    /** The lease named, or held, is over: expired, taken back, or another one now. */
    record LeaseExpired() implements LeaseOutcome {
    }

    record AlreadyCompleted() implements LeaseOutcome {
    }
}
