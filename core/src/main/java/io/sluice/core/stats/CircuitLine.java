package io.sluice.core.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Where one worker node's circuit breaker for one endpoint stands, on the compacted
 * {@code sluice.circuits} (key {@link #key()}): each node has its own breaker, so an endpoint's
 * circuit is the set of its nodes' lines. A node writes a line within a second of its breaker
 * changing state, and again every {@link #REFRESH} while it is not closed, so a line not
 * refreshed for longer than {@link #STALE_AFTER} belongs to a node that went away.
 *
 * @param state {@code closed}, {@code open} or {@code half_open}
 */
public record CircuitLine(UUID organizationId, UUID endpointId, String node, String state, Instant at) {

    public static final String CLOSED = "closed";
    public static final String OPEN = "open";
    public static final String HALF_OPEN = "half_open";
    public static final Duration REFRESH = Duration.ofSeconds(30);
    public static final Duration STALE_AFTER = REFRESH.multipliedBy(3);

    public String key() {
        return endpointId + "/" + node;
    }

    /** Whether it still says something at {@code now}: a closed line always does, another only while refreshed. */
    public boolean current(Instant now) {
        return CLOSED.equals(state) || !at.plus(STALE_AFTER).isBefore(now);
    }
}
