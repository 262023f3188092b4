package io.sluice.core.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery the worker did not attempt and gave up: its endpoint was disabled after the
 * delivery was sent on its way. The job is dead-lettered with the reason and no attempt, so
 * it can be retried from the dead-letter queue once the endpoint is enabled again.
 */
public record DeliveryWithheld(UUID jobId, UUID organizationId, UUID endpointId, String reason, Instant at)
        implements JobEvent {

    @Override
    public String type() {
        return JobEvent.DELIVERY_WITHHELD;
    }
}
