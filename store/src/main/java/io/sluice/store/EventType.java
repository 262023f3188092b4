package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/**
 * An event type an organization publishes messages of.
 *
 * @param schema a JSON Schema (JSON text) every payload of this type must satisfy, or null
 */
public record EventType(UUID organizationId, String name, String description, String schema, Instant createdAt,
                        Instant updatedAt) {
}
