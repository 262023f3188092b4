package io.sluice.store;

import io.sluice.core.workflow.WorkflowStatus;
import java.util.List;
import java.util.UUID;

/** What a user's cancel of a workflow came to. */
public sealed interface WorkflowCancel {

    record NotFound() implements WorkflowCancel {
    }

    /** It completed or failed: there is nothing left to cancel. */
    record Ended(WorkflowStatus status) implements WorkflowCancel {
    }

    /**
     * Every job not started is cancelled.
     *
     * @param inFlight cancelled jobs whose delivery had already left for Kafka: the delivery
     *                 workers must be told to drop it
     */
    record Cancelled(List<UUID> inFlight) implements WorkflowCancel {
    }
}
