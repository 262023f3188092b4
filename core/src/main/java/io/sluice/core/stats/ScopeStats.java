package io.sluice.core.stats;

import java.time.Instant;

/**
 * A line of live stats on {@code sluice.stats} (compacted, keyed by {@link StatsScope#key()}):
 * the latest counts of one scope. {@code asOf} is the time of the newest change counted.
 */
public record ScopeStats(StatsScope scope, StateCounts counts, Instant asOf) {
}
