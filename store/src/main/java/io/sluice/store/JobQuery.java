package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * Filters and order of the job list; null means "any".
 *
 * @param tag   {@code name}: jobs whose tags have that key (an object) or element (an array);
 *              {@code name:value}: also jobs whose tag {@code name} is {@code value}
 * @param order      newest first unless said otherwise
 * @param queueScope the only queues that may be shown (an API key's scope), or null for all
 */
public record JobQuery(UUID organizationId, String queueName, UUID endpointId, String state, int limit, int offset,
                       String tag, Order order, List<String> queueScope) {

    /** What the list is sorted by; ties go by age, newest first. */
    public enum Order {
        NEWEST_FIRST("id DESC"),
        OLDEST_FIRST("id ASC"),
        HIGHEST_PRIORITY_FIRST("priority DESC, id DESC"),
        LOWEST_PRIORITY_FIRST("priority ASC, id DESC");

        final String sql;

        Order(String sql) {
            this.sql = sql;
        }
    }

    public JobQuery {
        order = order == null ? Order.NEWEST_FIRST : order;
        queueScope = queueScope == null ? null : List.copyOf(queueScope);
    }

    /** Newest first, without a tag filter. */
    public JobQuery(UUID organizationId, String queueName, UUID endpointId, String state, int limit, int offset) {
        this(organizationId, queueName, endpointId, state, limit, offset, null, Order.NEWEST_FIRST, null);
    }
}
