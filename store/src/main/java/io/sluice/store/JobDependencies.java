package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * A job's place among others: its workflow, what it waits for and what waits for it.
 *
 * @param workflowId      its workflow, or null
 * @param dependencyMode  {@code all} or {@code any}; null for a job without dependencies
 * @param dependenciesMet whether it may run: it has no dependencies, or they were met
 * @param dependencies    the jobs it waits for
 * @param dependents      the jobs that wait for it
 */
public record JobDependencies(UUID jobId, UUID workflowId, String dependencyMode, boolean dependenciesMet,
                              List<Related> dependencies, List<Related> dependents) {

    /** A job on the other end of a dependency; {@code dependencyMode} is the waiting job's. */
    public record Related(UUID jobId, String state, String dependencyMode, String queueName) {
    }
}
