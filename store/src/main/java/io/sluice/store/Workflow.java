package io.sluice.store;

import io.sluice.core.workflow.WorkflowProgress;
import io.sluice.core.workflow.WorkflowStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A workflow as stored, with its jobs counted as they stand now.
 *
 * @param metadata    JSON text, or null
 * @param cancelledAt when a user cancelled it, or null
 * @param startedAt   when its first attempt started, or null
 * @param lastEndedAt when its last job to end did, or null
 */
public record Workflow(UUID id, UUID organizationId, String name, String description, String metadata,
                       Instant cancelledAt, Instant createdAt, Instant updatedAt, WorkflowProgress progress,
                       Instant startedAt, Instant lastEndedAt) {

    public WorkflowStatus status() {
        return progress.status(cancelledAt != null);
    }

    /** When it reached its end (completed, failed or cancelled); null while it runs. */
    public Instant completedAt() {
        return switch (status()) {
            case COMPLETED, FAILED -> lastEndedAt;
            case CANCELLED -> cancelledAt != null ? cancelledAt : lastEndedAt;
            case PENDING, RUNNING -> null;
        };
    }
}
