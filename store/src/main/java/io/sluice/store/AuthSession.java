package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** A login with an API key: access tokens name it, its refresh token (kept hashed) renews them until it ends. */
public record AuthSession(UUID id, UUID organizationId, UUID apiKeyId, Instant createdAt, Instant expiresAt) {
}
