package io.sluice.store;

import java.util.UUID;

/**
 * An enabled endpoint subscribed to a message's event type and channel, before its payload
 * filter is applied (that is the caller's: the filter language lives in {@code core}).
 *
 * @param payloadFilter JSON text of its filter, or null for none
 */
public record Subscriber(UUID endpointId, String payloadFilter) {
}
