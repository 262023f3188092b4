package io.sluice.topology.stats;

import io.sluice.core.job.JobState;
import io.sluice.core.stats.StateCounts;
import java.time.Instant;
import java.util.TreeMap;

/**
 * What the moves of some jobs changed in one scope since they were last passed on: the counts
 * ({@code change} may hold negative counts), the outcomes per second they happened in, and
 * which seconds' pending jobs came or left.
 */
final class ScopeDelta {

    StateCounts change = StateCounts.NONE;
    /** The time of the newest move. */
    Instant asOf = Instant.EPOCH;
    /** Epoch second of the moves to their outcomes. */
    final TreeMap<Long, Flow> flows = new TreeMap<>();
    /** Epoch second a pending job entered pending, to how many came (+) or left (-). */
    final TreeMap<Long, Long> pendingSince = new TreeMap<>();

    /** Adds a move of a job enqueued at {@code enqueuedAt}. */
    void add(StateMove move, Instant enqueuedAt) {
        change = change.moved(move.from(), move.to());
        if (move.at().isAfter(asOf)) {
            asOf = move.at();
        }
        if (move.to() != null && Flow.counts(move.to())) {
            flows.computeIfAbsent(move.at().getEpochSecond(), second -> new Flow())
                    .record(move.to(), Math.max(0, move.at().toEpochMilli() - enqueuedAt.toEpochMilli()));
        }
        if (move.from() == JobState.PENDING && move.fromSince() != null) {
            pendingSince.merge(move.fromSince().getEpochSecond(), -1L, Long::sum);
        }
        if (move.to() == JobState.PENDING) {
            pendingSince.merge((move.since() != null ? move.since() : move.at()).getEpochSecond(), 1L, Long::sum);
        }
    }

    /** Adds an attempt at an endpoint, counted in the second it ended. */
    void addAttempt(boolean succeeded, Instant started, long millis) {
        Instant ended = started.plusMillis(millis);
        if (ended.isAfter(asOf)) {
            asOf = ended;
        }
        flows.computeIfAbsent(ended.getEpochSecond(), second -> new Flow()).recordAttempt(succeeded, millis);
    }

    /** Whether passing it on would change nothing. */
    boolean isEmpty() {
        return change.isNone() && flows.isEmpty() && pendingSince.values().stream().allMatch(n -> n == 0);
    }
}
