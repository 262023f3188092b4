package io.sluice.store;

import java.util.UUID;

/**
 * A page of an organization's dead-lettered jobs, newest dead first.
 *
 * @param queueName one queue, or null for all
 * @param tag       as in {@link JobQuery#tag()}, or null for any
 */
public record DeadLetterQuery(UUID organizationId, String queueName, int limit, int offset, String tag) {

    public DeadLetterQuery {
        if (organizationId == null || limit < 1 || offset < 0) {
            throw new IllegalArgumentException("organization, limit >= 1 and offset >= 0 are required");
        }
    }

    /** Without a tag filter. */
    public DeadLetterQuery(UUID organizationId, String queueName, int limit, int offset) {
        this(organizationId, queueName, limit, offset, null);
    }
}
