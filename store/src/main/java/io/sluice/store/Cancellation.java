package io.sluice.store;

import io.sluice.core.job.JobState;

/** What a user's cancellation of one job came to. */
public sealed interface Cancellation {

    /** The job is cancelled and will not run: it was taken back before the pipeline had it. */
    record Cancelled() implements Cancellation {
    }

    /** No such job in the organization. */
    record NotFound() implements Cancellation {
    }

    /** The job already ran, or is running (only {@code pending} and {@code scheduled} jobs can be cancelled). */
    record NotCancellable(JobState state) implements Cancellation {
    }

    /**
     * The job is cancelled, but its delivery was already handed to the pipeline (published to
     * Kafka, or waiting there for a retry): the delivery workers must be told to drop it.
     */
    record CancelledInFlight() implements Cancellation {
    }
}
