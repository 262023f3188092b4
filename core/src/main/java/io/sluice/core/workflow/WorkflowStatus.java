package io.sluice.core.workflow;

import java.util.Locale;
import java.util.Optional;

/** Where a workflow stands, as {@link WorkflowProgress#status} counts it from its jobs. */
public enum WorkflowStatus {
    /** No job has started or ended yet. */
    PENDING,
    /** Some job has started or ended, and some has not ended. */
    RUNNING,
    /** Every job completed. */
    COMPLETED,
    /** Every job ended, and some job did not complete for a reason other than a user's cancel: it may be retried. */
    FAILED,
    /** A user cancelled the workflow, or every job ended and some were cancelled by a user. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WorkflowStatus> fromWireName(String name) {
        for (WorkflowStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
