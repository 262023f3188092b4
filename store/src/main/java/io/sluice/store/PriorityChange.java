package io.sluice.store;

import io.sluice.core.job.JobState;

/** What a change of one job's priority came to. */
public sealed interface PriorityChange {

    record Changed(int oldPriority, int newPriority) implements PriorityChange {
    }

    /** No such job in the organization. */
    record NotFound() implements PriorityChange {
    }

    /** The job was already taken or done (see {@link JobState#priorityChangeable()}). */
    record NotChangeable(JobState state) implements PriorityChange {
    }
}
