package io.sluice.store;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.webhook.SigningKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A claimed outbox row joined with its job, endpoint and queue: everything the relay publishes.
 *
 * @param timeoutMs     the job's own timeout ({@code timeout_seconds}, or its queue's default), else the endpoint's
 * @param headers       the endpoint's custom headers
 * @param endpointVersion the version of the endpoint the URL, keys, headers and limits are from
 * @param retrySchedule the endpoint's own delays, else the queue's; empty: the default schedule
 * @param attempt       the attempt to make, from 1: more than 1 only for a delivery a worker parked
 *                      while its queue was paused
 */
public record OutboxDelivery(
        long outboxId, UUID jobId, UUID organizationId, UUID endpointId, String queueName,
        String payload, String url, SigningKeys signingKeys, Map<String, String> headers, int timeoutMs, int maxRetries, EndpointLimits limits,
        long endpointVersion, List<Duration> retrySchedule, int attempt) {
}
