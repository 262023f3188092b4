package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** Who an API key belongs to, and whether it may still be used. */
public record ApiKeyOwner(UUID organizationId, UUID apiKeyId, boolean active, Instant expiresAt) {

    public boolean usableAt(Instant now) {
        return active && (expiresAt == null || expiresAt.isAfter(now));
    }
}
