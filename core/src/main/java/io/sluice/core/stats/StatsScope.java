package io.sluice.core.stats;

import java.util.Objects;
import java.util.UUID;

/**
 * What a line of live stats counts: one queue of an organization, or the whole organization
 * ({@code queueName} null). Its {@link #key()} is the record key on {@code sluice.stats}.
 */
public record StatsScope(UUID organizationId, String queueName) {

    private static final String ORGANIZATION = "org/";
    private static final String QUEUE = "queue/";

    public StatsScope {
        Objects.requireNonNull(organizationId);
    }

    public static StatsScope organization(UUID organizationId) {
        return new StatsScope(organizationId, null);
    }

    public static StatsScope queue(UUID organizationId, String queueName) {
        return new StatsScope(organizationId, Objects.requireNonNull(queueName));
    }

    public boolean isQueue() {
        return queueName != null;
    }

    /** {@code org/<id>} or {@code queue/<id>/<name>}: unique per scope, and a queue's name may hold any character. */
    public String key() {
        return isQueue() ? QUEUE + organizationId + "/" + queueName : ORGANIZATION + organizationId;
    }

    /** @throws IllegalArgumentException for a key no scope has */
    public static StatsScope fromKey(String key) {
        if (key.startsWith(ORGANIZATION)) {
            return organization(UUID.fromString(key.substring(ORGANIZATION.length())));
        }
        if (key.startsWith(QUEUE) && key.length() > QUEUE.length() + 37 && key.charAt(QUEUE.length() + 36) == '/') {
            return queue(UUID.fromString(key.substring(QUEUE.length(), QUEUE.length() + 36)),
                    key.substring(QUEUE.length() + 37));
        }
        throw new IllegalArgumentException("not a stats key: " + key);
    }
}
