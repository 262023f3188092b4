package io.sluice.core.stats;

import java.util.Objects;
import java.util.UUID;

/**
 * What a line of live stats counts: one queue of an organization, one of its endpoints, or the
 * whole organization (neither). Its {@link #key()} is the record key on {@code sluice.stats}.
 */
public record StatsScope(UUID organizationId, String queueName, UUID endpointId) {

    private static final String ORGANIZATION = "org/";
    private static final String QUEUE = "queue/";
    private static final String ENDPOINT = "endpoint/";

    public StatsScope {
        Objects.requireNonNull(organizationId);
        if (queueName != null && endpointId != null) {
            throw new IllegalArgumentException("a scope is a queue or an endpoint, not both");
        }
    }

    public static StatsScope organization(UUID organizationId) {
        return new StatsScope(organizationId, null, null);
    }

    public static StatsScope queue(UUID organizationId, String queueName) {
        return new StatsScope(organizationId, Objects.requireNonNull(queueName), null);
    }

    public static StatsScope endpoint(UUID organizationId, UUID endpointId) {
        return new StatsScope(organizationId, null, Objects.requireNonNull(endpointId));
    }

    public boolean isQueue() {
        return queueName != null;
    }

    public boolean isEndpoint() {
        return endpointId != null;
    }

    /**
     * {@code org/<id>}, {@code queue/<id>/<name>} or {@code endpoint/<id>/<endpoint id>}: unique
     * per scope, and a queue's name may hold any character.
     */
    public String key() {
        if (isQueue()) {
            return QUEUE + organizationId + "/" + queueName;
        }
        return isEndpoint() ? ENDPOINT + organizationId + "/" + endpointId : ORGANIZATION + organizationId;
    }

    /** @throws IllegalArgumentException for a key no scope has */
    public static StatsScope fromKey(String key) {
        if (key.startsWith(ORGANIZATION)) {
            return organization(UUID.fromString(key.substring(ORGANIZATION.length())));
        }
        for (String kind : new String[] {QUEUE, ENDPOINT}) {
            if (key.startsWith(kind) && key.length() > kind.length() + 37 && key.charAt(kind.length() + 36) == '/') {
                UUID organization = UUID.fromString(key.substring(kind.length(), kind.length() + 36));
                String rest = key.substring(kind.length() + 37);
                return kind.equals(QUEUE) ? queue(organization, rest) : endpoint(organization, UUID.fromString(rest));
            }
        }
        throw new IllegalArgumentException("not a stats key: " + key);
    }
}
