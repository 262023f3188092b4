package io.sluice.topology.stats;

import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StatsCodec;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The live stats: {@code sluice.events} ({@code job.state}) in, one line per queue and per
 * organization on the compacted {@code sluice.stats} out: the counts of that scope's jobs by
 * state, and its flows (outcome rates, enqueue-to-completion latency, oldest pending job). Two
 * steps: {@link JobMoves} turns the change sets into moves between scopes' counts, dropping
 * repeated sets, and sums them per scope; the sums are repartitioned by scope and added up by
 * {@link ScopeTallies}. A scope's line is written at most once per commit
 * interval as its counts change, and once a second while its flows move on.
 */
public final class StatsTopology {

    static final String SEEN = "change-sets-seen";
    static final String PENDING = "scope-pending";
    static final String TALLIES = "scope-tallies";

    private StatsTopology() {
    }

    /**
     * @param flushInterval   how often each task passes on the sums of its moves (the commit interval)
     * @param rememberSetsFor how long the version of a change set seen is kept against its repeats
     */
    public static Topology build(Topics topics, Duration flushInterval, Duration rememberSetsFor) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, topics, flushInterval, rememberSetsFor);
        return builder.build();
    }

    /**
     * Adds the stats to a builder (Spring's, which builds and runs the topology).
     *
     * @return the stream of lines written to {@code sluice.stats}
     */
    public static KStream<String, ScopeStats> addTo(StreamsBuilder builder, Topics topics, Duration flushInterval,
                                                    Duration rememberSetsFor) {
        // The scopes' stores are cached: a scope's sum or tally reaches the store and its changelog
        // once per commit however often it changes in between. The sets seen are not: each is a
        // new key, written once.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN),
                Serdes.Long(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING),
                Serdes.String(), StatsBinary.deltas()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TALLIES),
                Serdes.String(), StatsBinary.tallies()).withCachingEnabled());
        KStream<String, ScopeStats> lines = builder.stream(topics.events(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new JobMoves(SEEN, PENDING, flushInterval, rememberSetsFor), SEEN, PENDING)
                .repartition(Repartitioned.with(Serdes.String(), StatsBinary.deltas()).withName("scope-moves"))
                .process(() -> new ScopeTallies(TALLIES), TALLIES);
        lines.to(topics.stats(), Produced.with(Serdes.String(), stats()));
        return lines;
    }

    /** The wire form of {@code sluice.stats}: the one {@link StatsCodec} defines. */
    static Serde<ScopeStats> stats() {
        return Serdes.serdeFrom((topic, stats) -> stats == null ? null : StatsCodec.encode(stats),
                (topic, bytes) -> bytes == null ? null : StatsCodec.decode(bytes));
    }

}
