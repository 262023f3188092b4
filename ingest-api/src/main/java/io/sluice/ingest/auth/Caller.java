package io.sluice.ingest.auth;

import io.sluice.ingest.web.ApiException;
import io.sluice.store.ApiKeyOwner;
import java.util.List;
import java.util.UUID;

/**
 * Who made a request: an API key, used directly or through a login's access token.
 *
 * @param queues    the queues the key is limited to; empty: every queue of its organization
 * @param rateLimit requests per minute allowed to the key; null: no limit of its own
 */
public record Caller(UUID organizationId, UUID apiKeyId, List<String> queues, Integer rateLimit) {

    public Caller {
        queues = List.copyOf(queues);
    }

    static Caller of(ApiKeyOwner owner) {
        return new Caller(owner.organizationId(), owner.apiKeyId(), owner.queues(), owner.rateLimit());
    }

    /** Whether the key reaches every queue ({@code queues} empty or {@code *}). */
    public boolean reachesAllQueues() {
        return queues.isEmpty() || queues.contains("*");
    }

    public boolean reaches(String queueName) {
        return reachesAllQueues() || queues.contains(queueName);
    }

    /** Refuses a queue outside the key's scope (403); for writes naming a queue. */
    public void requireQueue(String queueName) {
        if (!reaches(queueName)) {
            throw ApiException.accessDenied("this API key may not use queue '" + queueName + "'");
        }
    }

    /**
     * Refuses (403) a bulk action's queue filter the key may not use: a queue outside its
     * scope, or no queue (meaning all) from a key limited to some queues.
     */
    public void requireQueueFilter(String queueName) {
        if (queueName != null) {
            requireQueue(queueName);
        } else if (!reachesAllQueues()) {
            throw ApiException.accessDenied("this API key is limited to queues " + queues + "; name queue_name");
        }
    }

    /** The queues lists and counts may show: null for all, else the key's queues. */
    public List<String> queueScope() {
        return reachesAllQueues() ? null : queues;
    }
}
