package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** A tenant: every job, endpoint and key belongs to exactly one. */
public record Organization(UUID id, String name, String slug, String planTier, Instant createdAt, Instant updatedAt) {
}
