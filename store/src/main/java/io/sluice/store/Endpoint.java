package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** A webhook receiver of one organization. */
public record Endpoint(
        UUID id, UUID organizationId, String url, String description, String secret,
        boolean enabled, int timeoutMs, Instant createdAt, Instant updatedAt) {
}
