package io.sluice.store;

import java.util.List;

/**
 * Which messages an endpoint receives.
 *
 * @param eventTypes    the event types it receives; empty: every one
 * @param channels      when not empty, it receives only messages published to one of these channels
 * @param payloadFilter when not null, JSON text of a filter (see {@code PayloadFilter}) a message's
 *                      payload must match
 */
public record Subscription(List<String> eventTypes, List<String> channels, String payloadFilter) {

    /** Every message of its organization. */
    public static final Subscription ALL = new Subscription(List.of(), List.of(), null);

    public Subscription {
        eventTypes = List.copyOf(eventTypes);
        channels = List.copyOf(channels);
    }

    /** Whether a message of that type, published to those channels, is for it (before its payload filter). */
    public boolean receives(String eventType, List<String> messageChannels) {
        return (eventTypes.isEmpty() || eventTypes.contains(eventType))
                && (channels.isEmpty() || messageChannels.stream().anyMatch(channels::contains));
    }
}
