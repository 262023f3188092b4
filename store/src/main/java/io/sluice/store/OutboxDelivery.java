package io.sluice.store;

import io.sluice.core.delivery.EndpointLimits;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A claimed outbox row joined with its job and endpoint: everything the relay publishes. */
public record OutboxDelivery(
        long outboxId, UUID jobId, UUID organizationId, UUID endpointId, String queueName,
        String payload, String url, String secret, int timeoutMs, int maxRetries, EndpointLimits limits,
        List<Duration> retrySchedule) {
}
