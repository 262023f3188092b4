package io.sluice.topology.stats;

import io.sluice.core.stats.StateCounts;
import java.time.Instant;

/**
 * What the moves of some jobs changed in one scope's counts since they were last passed on
 * ({@code change} may hold negative counts), and the time of the newest of them.
 */
record ScopeDelta(StateCounts change, Instant asOf) {

    static final ScopeDelta NONE = new ScopeDelta(StateCounts.NONE, Instant.EPOCH);

    ScopeDelta with(StateMove move) {
        return new ScopeDelta(change.moved(move.from(), move.to()), move.at().isAfter(asOf) ? move.at() : asOf);
    }
}
