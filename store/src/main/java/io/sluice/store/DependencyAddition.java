package io.sluice.store;

import io.sluice.core.job.JobState;
import java.util.List;
import java.util.UUID;

/** What adding dependencies to a job came to; only {@link Added} changed anything. */
public sealed interface DependencyAddition {

    record JobNotFound() implements DependencyAddition {
    }

    /** Some of the jobs named are not the organization's. */
    record UnknownDependencies(List<UUID> jobIds) implements DependencyAddition {
    }

    /** The job already runs, ran, or was handed to delivery: it can no longer wait. */
    record AlreadyStarted(JobState state) implements DependencyAddition {
    }

    /** {@code dependency} already waits, directly or through others, for the job: refused, as a cycle would never run. */
    record WouldCycle(UUID dependency) implements DependencyAddition {
    }

    /**
     * @param added        dependencies new to the job
     * @param dependencies all of its dependencies now
     * @param met          whether they are met already (the job was released at once)
     */
    record Added(int added, List<UUID> dependencies, String dependencyMode, boolean met) implements DependencyAddition {
    }
}
