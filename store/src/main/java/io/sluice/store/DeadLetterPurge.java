package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/**
 * Which dead-lettered jobs of an organization to delete for good, those dead the longest first.
 *
 * @param queueName one queue, or null for all
 * @param olderThan only jobs dead before this instant, or null for any
 */
public record DeadLetterPurge(UUID organizationId, String queueName, Instant olderThan, int limit) {

    /** The Spooled contract's ceiling: one purge is one transaction, kept to a bounded size. */
    public static final int MAX_LIMIT = 10_000;

    public DeadLetterPurge {
        if (organizationId == null || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("organization and a limit of 1 to " + MAX_LIMIT + " are required");
        }
    }
}
