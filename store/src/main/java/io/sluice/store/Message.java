package io.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A published message and what became of each of its deliveries. */
public record Message(UUID id, UUID organizationId, String eventType, String payload, List<String> channels,
                      String idempotencyKey, Instant createdAt, List<Delivery> deliveries) {

    /** One delivery job of the message: to which endpoint, and how it stands. */
    public record Delivery(UUID jobId, UUID endpointId, String state, int attempts, String lastError,
                           Instant updatedAt) {
    }
}
