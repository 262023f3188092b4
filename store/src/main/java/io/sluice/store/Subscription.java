package io.sluice.store;

import java.util.List;

/**
 * Which messages an endpoint receives.
 *
 * @param eventTypes the event types it receives; empty: every one
 * @param channels   when not empty, it receives only messages published to one of these channels
 */
public record Subscription(List<String> eventTypes, List<String> channels) {

    /** Every message of its organization. */
    public static final Subscription ALL = new Subscription(List.of(), List.of());

    public Subscription {
        eventTypes = List.copyOf(eventTypes);
        channels = List.copyOf(channels);
    }
}
