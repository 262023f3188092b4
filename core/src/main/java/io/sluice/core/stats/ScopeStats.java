package io.sluice.core.stats;

import java.time.Instant;

/**
 * A line of live stats on {@code sluice.stats} (compacted, keyed by {@link StatsScope#key()}):
 * the latest counts of one scope, and how work flows through it. {@code asOf} is the time of the
 * newest change counted; {@code flow} is null on lines written before Sluice measured flows.
 */
public record ScopeStats(StatsScope scope, StateCounts counts, Instant asOf, ScopeFlow flow) {
}
