package io.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A key to add to an organization: its hash and what the owner may see of it. */
public record NewApiKey(UUID id, UUID organizationId, String name, byte[] keyHash, String keyPrefix,
                        List<String> queues, Integer rateLimit, Instant expiresAt, Instant createdAt) {

    public NewApiKey {
        queues = List.copyOf(queues);
    }
}
