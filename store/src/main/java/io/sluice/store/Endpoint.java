package io.sluice.store;

import io.sluice.core.delivery.EndpointLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook receiver of one organization.
 *
 * @param retrySchedule  its own retry delays; empty: the default schedule
 * @param disabledReason why it was disabled (410 Gone, sustained failure, or its owner); null while enabled
 * @param failingSince   when the current run of failed attempts began; null after a success
 * @param subscription   which messages it receives
 */
public record Endpoint(
        UUID id, UUID organizationId, String url, String description, String secret,
        boolean enabled, int timeoutMs, EndpointLimits limits, List<Duration> retrySchedule, String disabledReason,
        Instant disabledAt,
        Instant failingSince, Instant createdAt, Instant updatedAt, Subscription subscription) {

    public Endpoint {
        retrySchedule = List.copyOf(retrySchedule);
    }

    /** A new, enabled endpoint. */
    public static Endpoint created(UUID id, UUID organizationId, String url, String description, String secret,
                                   int timeoutMs, EndpointLimits limits, List<Duration> retrySchedule,
                                   Subscription subscription, Instant now) {
        return new Endpoint(id, organizationId, url, description, secret, true, timeoutMs, limits, retrySchedule,
                null, null, null, now, now, subscription);
    }
}
