package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * A message to publish.
 *
 * @param payload  the JSON text exactly as it will be delivered to every endpoint
 * @param channels the channels it is published to; empty: none
 */
public record NewMessage(UUID id, UUID organizationId, String eventType, String payload, List<String> channels,
                         String idempotencyKey) {

    public NewMessage {
        channels = List.copyOf(channels);
    }
}
