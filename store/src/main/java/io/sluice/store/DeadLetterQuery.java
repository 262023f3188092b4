package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * A page of an organization's dead-lettered jobs, newest dead first.
 *
 * @param queueName one queue, or null for all
 * @param tag        as in {@link JobQuery#tag()}, or null for any
 * @param queueScope the only queues that may be shown (an API key's scope), or null for all
 */
public record DeadLetterQuery(UUID organizationId, String queueName, int limit, int offset, String tag,
                              List<String> queueScope) {

    public DeadLetterQuery {
        if (organizationId == null || limit < 1 || offset < 0) {
            throw new IllegalArgumentException("organization, limit >= 1 and offset >= 0 are required");
        }
        queueScope = queueScope == null ? null : List.copyOf(queueScope);
    }

    /** Without a scope. */
    public DeadLetterQuery(UUID organizationId, String queueName, int limit, int offset, String tag) {
        this(organizationId, queueName, limit, offset, tag, null);
    }

    /** Without a tag filter or a scope. */
    public DeadLetterQuery(UUID organizationId, String queueName, int limit, int offset) {
        this(organizationId, queueName, limit, offset, null, null);
    }
}
