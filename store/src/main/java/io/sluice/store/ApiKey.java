package io.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as its organization sees it; the key itself is never stored, only its hash.
 *
 * @param queues    the queues it may use; empty: all of them
 * @param rateLimit requests per minute it may make; null: no limit of its own
 * @param expiresAt after this it no longer authenticates; null: never
 */
public record ApiKey(UUID id, UUID organizationId, String name, List<String> queues, Integer rateLimit,
                     boolean active, Instant createdAt, Instant lastUsed, Instant expiresAt) {

    public ApiKey {
        queues = List.copyOf(queues);
    }

    public ApiKey withName(String name) {
        return new ApiKey(id, organizationId, name, queues, rateLimit, active, createdAt, lastUsed, expiresAt);
    }

    public ApiKey withQueues(List<String> queues) {
        return new ApiKey(id, organizationId, name, queues, rateLimit, active, createdAt, lastUsed, expiresAt);
    }

    public ApiKey withRateLimit(Integer rateLimit) {
        return new ApiKey(id, organizationId, name, queues, rateLimit, active, createdAt, lastUsed, expiresAt);
    }

    public ApiKey withActive(boolean active) {
        return new ApiKey(id, organizationId, name, queues, rateLimit, active, createdAt, lastUsed, expiresAt);
    }

    public ApiKey withExpiresAt(Instant expiresAt) {
        return new ApiKey(id, organizationId, name, queues, rateLimit, active, createdAt, lastUsed, expiresAt);
    }
}
