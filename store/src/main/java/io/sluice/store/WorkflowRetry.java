package io.sluice.store;

import io.sluice.core.workflow.WorkflowStatus;

/** What a retry of a workflow came to. */
public sealed interface WorkflowRetry {

    record NotFound() implements WorkflowRetry {
    }

    /** Only a failed workflow is retried. */
    record NotFailed(WorkflowStatus status) implements WorkflowRetry {
    }

    /**
     * @param restarted jobs given up that are pending again
     * @param revived   jobs cancelled by a failed dependency that wait for their dependencies again
     */
    record Retried(int restarted, int revived) implements WorkflowRetry {
    }
}
