package io.sluice.topology.live;

import java.time.Duration;

/**
 * When one stream says {@code SystemHealth}: at once when the node's health differs from what
 * the stream last said (a stream that said nothing yet stands for healthy, so a stream opened on
 * a healthy node starts quiet), and again every {@code interval} since it last spoke or opened.
 * Not thread-safe: its stream's health reports come from one thread.
 */
final class HealthCadence {

    private final long intervalNanos;
    private NodeHealth said;
    private long saidAt;

    HealthCadence(Duration interval, long openedAtNanos) {
        this.intervalNanos = interval.toNanos();
        this.saidAt = openedAtNanos;
    }

    /** @return whether the stream should say this health now; if so, it counts as said */
    boolean due(NodeHealth health, long nowNanos) {
        boolean changed = said == null ? !health.healthy() : !health.sameAs(said);
        if (!changed && nowNanos - saidAt < intervalNanos) {
            return false;
        }
        said = health;
        saidAt = nowNanos;
        return true;
    }
}
