package io.sluice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A queue of one organization and its configuration: defaults for the jobs accepted into it
 * afterwards. A null setting means Sluice's own default.
 *
 * @param maxRetries     retries of a job that does not say its own {@code max_retries}
 * @param defaultTimeout {@code timeout_seconds} of a job that does not say its own
 * @param rateLimit      jobs of the queue started per second at most, on each node; null: no limit
 * @param settings       free-form JSON text kept for the owner
 * @param retrySchedule  the queue's retry delays; an endpoint's own schedule wins; empty: the default
 */
public record Queue(
        UUID id, UUID organizationId, String name, Integer maxRetries, Integer defaultTimeout, Integer rateLimit,
        boolean enabled, String settings, List<Duration> retrySchedule, Instant createdAt, Instant updatedAt) {

    public Queue {
        retrySchedule = List.copyOf(retrySchedule);
    }
}
