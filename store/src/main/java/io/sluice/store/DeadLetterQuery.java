package io.sluice.store;

import java.util.UUID;

/**
 * A page of an organization's dead-lettered jobs, newest dead first.
 *
 * @param queueName one queue, or null for all
 */
public record DeadLetterQuery(UUID organizationId, String queueName, int limit, int offset) {

    public DeadLetterQuery {
        if (organizationId == null || limit < 1 || offset < 0) {
            throw new IllegalArgumentException("organization, limit >= 1 and offset >= 0 are required");
        }
    }
}
