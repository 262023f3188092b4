package io.sluice.topology.stats;

import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import io.sluice.core.stats.StatsCodec;
import io.sluice.core.stats.StatsScope;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * The live stats: {@code sluice.events} ({@code job.state}) in, one line per queue and per
 * organization on the compacted {@code sluice.stats} out, each the counts of that scope's jobs by
 * state. Two steps: {@link JobStandings} (per job, partitioned by job id) turns changes into moves
 * between scopes' counts, dropping repeats, and sums them per scope; the sums are repartitioned by
 * scope and added up. How often a scope's line is written is bounded by the commit interval.
 */
public final class StatsTopology {

    static final String STANDINGS = "job-standings";
    static final String PENDING = "scope-pending";
    static final String COUNTS = "scope-counts";

    private StatsTopology() {
    }

    /**
     * @param flushInterval   how often each task passes on the sums of its moves (the commit interval)
     * @param forgetGoneAfter how long a gone job's standing is kept against straggling changes
     */
    public static Topology build(Topics topics, Duration flushInterval, Duration forgetGoneAfter) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, topics, flushInterval, forgetGoneAfter);
        return builder.build();
    }

    /**
     * Adds the stats to a builder (Spring's, which builds and runs the topology).
     *
     * @return the stream of lines written to {@code sluice.stats}
     */
    public static KStream<String, ScopeStats> addTo(StreamsBuilder builder, Topics topics, Duration flushInterval,
                                                    Duration forgetGoneAfter) {
        // Cached: a job's standing, and a scope's sum, reach RocksDB and the changelog once per
        // commit however often they change in between.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STANDINGS),
                Serdes.String(), json(JobStanding.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING),
                Serdes.String(), json(ScopeDelta.class)).withCachingEnabled());
        KStream<String, ScopeStats> lines = builder.stream(topics.events(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new JobStandings(STANDINGS, PENDING, flushInterval, forgetGoneAfter), STANDINGS, PENDING)
                .groupByKey(Grouped.with("scope-moves", Serdes.String(), json(ScopeDelta.class)))
                .aggregate(() -> null, StatsTopology::apply,
                        Materialized.<String, ScopeStats, KeyValueStore<Bytes, byte[]>>as(COUNTS)
                                .withKeySerde(Serdes.String()).withValueSerde(stats()))
                .toStream();
        lines.to(topics.stats(), Produced.with(Serdes.String(), stats()));
        return lines;
    }

    private static ScopeStats apply(String scopeKey, ScopeDelta delta, ScopeStats stats) {
        ScopeStats before = stats != null ? stats
                : new ScopeStats(StatsScope.fromKey(scopeKey), StateCounts.NONE, delta.asOf());
        return new ScopeStats(before.scope(), before.counts().plus(delta.change()),
                delta.asOf().isAfter(before.asOf()) ? delta.asOf() : before.asOf());
    }

    /** The wire form of {@code sluice.stats}: the one {@link StatsCodec} defines. */
    static Serde<ScopeStats> stats() {
        return Serdes.serdeFrom((topic, stats) -> stats == null ? null : StatsCodec.encode(stats),
                (topic, bytes) -> bytes == null ? null : StatsCodec.decode(bytes));
    }

    /** Internal records (state stores, the repartition topic): plain JSON, no type headers. */
    private static <T> Serde<T> json(Class<T> type) {
        return new JacksonJsonSerde<T>(type).noTypeInfo().ignoreTypeHeaders();
    }
}
