package io.sluice.core.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery the worker did not attempt because its queue is paused. The job stays pending and
 * is parked in PostgreSQL until the queue is resumed; then attempt {@code attempt} is made.
 */
public record DeliveryParked(UUID jobId, UUID organizationId, String queueName, int attempt, Instant at)
        implements JobEvent {

    @Override
    public String type() {
        return JobEvent.DELIVERY_PARKED;
    }
}
