package io.sluice.store;

import java.util.UUID;

/** A user's retry of one job ({@code POST /jobs/{id}/retry}). */
public record JobRetry(UUID organizationId, UUID jobId) {

    public JobRetry {
        if (organizationId == null || jobId == null) {
            throw new IllegalArgumentException("organization and job are required");
        }
    }
}
