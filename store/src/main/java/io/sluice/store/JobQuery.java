package io.sluice.store;

import java.util.UUID;

/** Filters of the job list; null means "any". Newest first. */
public record JobQuery(UUID organizationId, String queueName, UUID endpointId, String state, int limit, int offset) {
}
