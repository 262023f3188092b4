package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** An organization and its first API key, created together. */
public record NewOrganization(
        UUID id, String name, String slug, Instant createdAt,
        UUID apiKeyId, String apiKeyName, byte[] apiKeyHash, String apiKeyPrefix) {
}
