package io.sluice.store;

import io.sluice.core.job.JobState;

/** What a retry of one job came to. */
public sealed interface JobRetryResult {

    /** The job is pending again, its retry count reset and, when it is a webhook job, queued for publishing. */
    record Retried(JobRecord job) implements JobRetryResult {
    }

    /** No such job in the organization. */
    record NotFound() implements JobRetryResult {
    }

    /** The job exists but is in a state a retry may not leave (see {@link JobState#manuallyRetryable()}). */
    record NotRetryable(JobState state) implements JobRetryResult {
    }
}
