package io.sluice.store;

import java.util.UUID;

/**
 * Filters of the job list; null means "any". Newest first.
 *
 * @param tag {@code name}: jobs whose tags have that key (an object) or element (an array);
 *            {@code name:value}: also jobs whose tag {@code name} is {@code value}
 */
public record JobQuery(UUID organizationId, String queueName, UUID endpointId, String state, int limit, int offset,
                       String tag) {

    /** Without a tag filter. */
    public JobQuery(UUID organizationId, String queueName, UUID endpointId, String state, int limit, int offset) {
        this(organizationId, queueName, endpointId, state, limit, offset, null);
    }
}
