package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * A job of a workflow.
 *
 * @param dependsOn      the keys of the jobs it waits for
 * @param dependencyMode {@code all} or {@code any}; null for a job without dependencies
 * @param dependenciesMet whether it may run: it has no dependencies, or they were met
 */
public record WorkflowJob(JobRecord job, UUID workflowId, String key, List<String> dependsOn, String dependencyMode,
                          boolean dependenciesMet) {
}
