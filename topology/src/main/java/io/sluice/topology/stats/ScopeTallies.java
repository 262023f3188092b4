package io.sluice.topology.stats;

import io.sluice.core.stats.ScopeFlow;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StatsScope;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each scope's sums into its {@link ScopeTally} (partitioned by scope) and writes the
 * scope's line: at once when its counts change, and every second while its flows move on by
 * themselves (rates decaying once work stops, the oldest pending job growing older).
 */
final class ScopeTallies implements Processor<String, ScopeDelta, String, ScopeStats> {

    static final Duration REFRESH = Duration.ofSeconds(1);

    private final String talliesStore;
    /** The flow of each scope's last line written by this task, to write a line only when it changed. */
    private final Map<String, ScopeFlow> written = new HashMap<>();
    /**
     * The scopes whose flows may move by themselves (something in a window, or jobs pending):
     * only they are refreshed, so an idle scope (most endpoints, most of the time) costs nothing
     * per second. Null until the first refresh has found them in the store.
     */
    private Set<String> moving;
    private ProcessorContext<String, ScopeStats> context;
    private KeyValueStore<String, ScopeTally> tallies;

    ScopeTallies(String talliesStore) {
        this.talliesStore = talliesStore;
    }

    @Override
    public void init(ProcessorContext<String, ScopeStats> context) {
        this.context = context;
        this.tallies = context.getStateStore(talliesStore);
        context.schedule(REFRESH, PunctuationType.WALL_CLOCK_TIME, this::refresh);
    }

    @Override
    public void process(Record<String, ScopeDelta> record) {
        long now = context.currentSystemTimeMs();
        ScopeTally tally = tallies.get(record.key());
        if (tally == null) {
            tally = new ScopeTally();
        }
        tally.add(record.value(), Math.floorDiv(now, 1000));
        tallies.put(record.key(), tally);
        if (moving != null) {
            moving.add(record.key());
        }
        write(record.key(), tally, now);
    }

    private void refresh(long now) {
        if (moving == null) {
            // After a (re)start: every scope with something in its windows, found once.
            moving = new HashSet<>();
            try (KeyValueIterator<String, ScopeTally> all = tallies.all()) {
                all.forEachRemaining(entry -> {
                    if (!entry.value.isStill()) {
                        moving.add(entry.key);
                    }
                });
            }
        }
        for (String scope : List.copyOf(moving)) {
            ScopeTally tally = tallies.get(scope);
            if (tally == null) {
                moving.remove(scope);
                continue;
            }
            if (tally.forgetBefore(Math.floorDiv(now, 1000))) {
                tallies.put(scope, tally);
            }
            ScopeFlow before = written.get(scope);
            ScopeStats line = tally.line(StatsScope.fromKey(scope), now);
            if (before == null || !sameFigures(before, line.flow())) {
                forward(scope, line, now);
            }
            if (tally.isStill()) {
                moving.remove(scope); // its last line says so; nothing moves until a change comes
            }
        }
    }

    private void write(String scope, ScopeTally tally, long now) {
        forward(scope, tally.line(StatsScope.fromKey(scope), now), now);
    }

    private void forward(String scope, ScopeStats line, long now) {
        written.put(scope, line.flow());
        context.forward(new Record<>(scope, line, now));
    }

    /** The same figures, whenever computed. */
    private static boolean sameFigures(ScopeFlow a, ScopeFlow b) {
        return a.delivered().equals(b.delivered()) && a.failed().equals(b.failed())
                && a.deadLettered().equals(b.deadLettered()) && a.latencyLastMinute().equals(b.latencyLastMinute())
                && a.latencyLastHour().equals(b.latencyLastHour())
                && Objects.equals(a.oldestPendingMs(), b.oldestPendingMs());
    }
}
