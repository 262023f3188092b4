package io.sluice.topology.stats;

import io.sluice.core.stats.FlowRates;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import io.sluice.core.stats.StatsScope;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Everything the stats know of one scope: its counts, its outcomes per second over the last
 * minute and per minute over the last hour, and when its pending jobs entered pending. Times are
 * those of the changes (event time), so a backlog replayed after a restart lands in the seconds
 * it happened in; "now" is the node's clock.
 */
final class ScopeTally {

    static final long MINUTE = 60;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;
    /** When pending entries are folded, and into what: past a day by the hour, past an hour by the minute. */
    private static final long[][] COARSE_TIERS = {{DAY, HOUR}, {HOUR, MINUTE}};

    StateCounts counts = StateCounts.NONE;
    Instant asOf = Instant.EPOCH;
    /** Epoch second to its outcomes, for the last minute. */
    final TreeMap<Long, Flow> seconds = new TreeMap<>();
    /** Start of a minute (epoch second) to its outcomes, for the last hour. */
    final TreeMap<Long, Flow> minutes = new TreeMap<>();
    /**
     * When pending jobs entered pending (epoch second) to how many: by the second for the last
     * hour, by the minute before that and by the hour before the last day, so a long backlog
     * keeps this small. A coarse entry starts its minute or hour and holds all of it. A negative
     * entry holds jobs whose leaving was added before their arrival.
     */
    final TreeMap<Long, Long> pendingSince = new TreeMap<>();

    void add(ScopeDelta delta, long nowSecond) {
        counts = counts.plus(delta.change);
        if (delta.asOf.isAfter(asOf)) {
            asOf = delta.asOf;
        }
        delta.flows.forEach((second, flow) -> {
            seconds.computeIfAbsent(second, s -> new Flow()).add(flow);
            minutes.computeIfAbsent(second - Math.floorMod(second, MINUTE), s -> new Flow()).add(flow);
        });
        // A job's leaving is taken from the entry its arrival went to: its own second, or the
        // coarse entry that second is folded into by now. Should the leaving be added first (two
        // relays may publish a job's changes out of order), it waits there, negative.
        delta.pendingSince.forEach((second, jobs) ->
                addPending(pendingSince.containsKey(second) ? second : entryOf(second, nowSecond), jobs));
        if (counts.pending() == 0) {
            // Nothing waits: what is left is of changes that did not say when their job came
            // (recorded before V31), or of a race of two relays; neither may age a later job.
            pendingSince.clear();
        }
        forgetOldFlows(nowSecond);
    }

    private void forgetOldFlows(long nowSecond) {
        seconds.headMap(nowSecond - MINUTE).clear();
        minutes.headMap(nowSecond - HOUR - MINUTE).clear();
    }

    /**
     * Drops what has left every window, and coarsens old pending entries (a pass over them all,
     * so once a second, not on every change); whether anything changed.
     */
    boolean forgetBefore(long nowSecond) {
        int before = seconds.size() + minutes.size() + pendingSince.size();
        forgetOldFlows(nowSecond);
        coarsen(nowSecond - HOUR, MINUTE);
        coarsen(nowSecond - DAY, HOUR);
        return seconds.size() + minutes.size() + pendingSince.size() != before;
    }

    /** The entry a job pending since {@code second} is counted in as of {@code nowSecond} (see {@link #coarsen}). */
    private static long entryOf(long second, long nowSecond) {
        for (long[] tier : COARSE_TIERS) {
            long olderThan = nowSecond - tier[0];
            if (second < olderThan - Math.floorMod(olderThan, tier[1])) {
                return second - Math.floorMod(second, tier[1]);
            }
        }
        return second;
    }

    private void coarsen(long olderThan, long unit) {
        NavigableMap<Long, Long> old = pendingSince.headMap(olderThan - Math.floorMod(olderThan, unit), false);
        if (old.isEmpty()) {
            return;
        }
        Map<Long, Long> folded = new TreeMap<>();
        old.forEach((second, jobs) -> folded.merge(second - Math.floorMod(second, unit), jobs, Long::sum));
        old.clear();
        folded.forEach(this::addPending);
    }

    private void addPending(long second, long jobs) {
        if (jobs != 0 && pendingSince.merge(second, jobs, Long::sum) == 0) {
            pendingSince.remove(second);
        }
    }

    /** Nothing in any window and no job pending: its flow cannot change until a change comes. */
    boolean isStill() {
        return seconds.isEmpty() && minutes.isEmpty() && pendingSince.isEmpty();
    }

    /** The first second with more jobs arriving than leaving (a leaving may wait for its arrival). */
    private Long oldestPendingSecond() {
        for (Map.Entry<Long, Long> entry : pendingSince.entrySet()) {
            if (entry.getValue() > 0) {
                return entry.getKey();
            }
        }
        return null;
    }

    /** The line for {@code sluice.stats} as of {@code nowMillis}. */
    ScopeStats line(StatsScope scope, long nowMillis) {
        long now = Math.floorDiv(nowMillis, 1000);
        NavigableMap<Long, Flow> lastMinute = seconds.subMap(now - MINUTE, true, now, false);
        NavigableMap<Long, Flow> lastHour = minutes.tailMap(now - HOUR, true);
        Flow lastSecond = seconds.getOrDefault(now - 1, new Flow());
        Flow minute = sum(lastMinute);
        Flow hour = sum(lastHour);
        // The latency of the last minute includes the second under way: those jobs are done.
        LatencyHistogram minuteLatency = new LatencyHistogram();
        minuteLatency.add(minute.latency);
        Flow current = seconds.get(now);
        if (current != null) {
            minuteLatency.add(current.latency);
        }
        Long oldestPendingSecond = counts.pending() > 0 ? oldestPendingSecond() : null;
        Long oldestPendingMs = oldestPendingSecond != null ? Math.max(0, nowMillis - oldestPendingSecond * 1000) : null;
        ScopeFlow flow = new ScopeFlow(Instant.ofEpochMilli(nowMillis),
                rates(lastSecond, minute, hour, f -> f.delivered),
                rates(lastSecond, minute, hour, f -> f.failed),
                rates(lastSecond, minute, hour, f -> f.deadLettered),
                minuteLatency.percentiles(), hour.latency.percentiles(), oldestPendingMs);
        return new ScopeStats(scope, counts, asOf, flow);
    }

    private static Flow sum(NavigableMap<Long, Flow> flows) {
        Flow sum = new Flow();
        flows.values().forEach(sum::add);
        return sum;
    }

    private static FlowRates rates(Flow lastSecond, Flow lastMinute, Flow lastHour, ToLongFunction<Flow> outcome) {
        return new FlowRates(outcome.applyAsLong(lastSecond), outcome.applyAsLong(lastMinute) / (double) MINUTE,
                outcome.applyAsLong(lastHour) / (double) HOUR);
    }
}
