package io.sluice.store;

import io.sluice.core.job.JobState;

/** What a user's cancellation of one job came to. */
public sealed interface Cancellation {

    /** The job is cancelled and will not run. */
    record Cancelled() implements Cancellation {
    }

    /** No such job in the organization. */
    record NotFound() implements Cancellation {
    }

    /** The job already ran, or is running (only {@code pending} and {@code scheduled} jobs can be cancelled). */
    record NotCancellable(JobState state) implements Cancellation {
    }

    /**
     * The job is pending but already handed to the delivery pipeline (published to Kafka, or
     * waiting there for a retry): workers would still send it, so it is left as it is.
     */
    record OnItsWay() implements Cancellation {
    }
}
