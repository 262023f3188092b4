package io.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Who an API key belongs to, what it may reach, and whether it may still be used.
 *
 * @param queues    empty: every queue of the organization
 * @param rateLimit requests per minute; null: unlimited
 */
public record ApiKeyOwner(UUID organizationId, UUID apiKeyId, boolean active, Instant expiresAt,
                          List<String> queues, Integer rateLimit) {

    public ApiKeyOwner {
        queues = List.copyOf(queues);
    }

    public boolean usableAt(Instant now) {
        return active && (expiresAt == null || expiresAt.isAfter(now));
    }
}
