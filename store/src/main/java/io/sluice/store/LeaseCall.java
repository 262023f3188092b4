package io.sluice.store;

import java.time.Duration;
import java.util.UUID;

/** A worker's call on a job it leased; fenced by {@code leaseId} when given, else by {@code workerId}. */
public sealed interface LeaseCall {

    UUID organizationId();

    UUID jobId();

    UUID workerId();

    UUID leaseId();

    /** @param result the worker's result, JSON text, or null */
    record Complete(UUID organizationId, UUID jobId, UUID workerId, UUID leaseId, String result) implements LeaseCall {
    }

    /** @param retry false: dead-letter now */
    record Fail(UUID organizationId, UUID jobId, UUID workerId, UUID leaseId, String error, boolean retry)
            implements LeaseCall {
    }

    /** Moves the lease's expiry to {@code duration} from now. */
    record Extend(UUID organizationId, UUID jobId, UUID workerId, UUID leaseId, Duration duration) implements LeaseCall {
    }
}
