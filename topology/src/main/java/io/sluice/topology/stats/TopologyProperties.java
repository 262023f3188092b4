package io.sluice.topology.stats;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the live stats topology ({@code sluice.topology.*}).
 *
 * @param enabled         run the stats topology on this node (every node that runs it shares the work)
 * @param applicationId   Kafka Streams application id: its consumer group and the prefix of its internal topics
 * @param stateDir        where the state stores live; keep it across restarts so a node does not
 *                        rebuild them from their changelogs; empty: {@code streams} under {@code sluice.data-dir}
 * @param standbyReplicas warm copies of each store on other nodes, for fast fail-over
 * @param commitInterval  how often progress is committed, and so how often a scope's line is
 *                        written at most; each commit is a Kafka transaction (markers on every
 *                        partition it wrote), so a second, the pace of the dashboard, rather than
 *                        Kafka Streams' 100 ms for exactly-once
 * @param threads         stream threads on this node
 * @param rememberSetsFor how long the version of a job change set counted is kept, so that the
 *                        set relayed again (a relay stopped between sending it and deleting its
 *                        row) cannot count again
 */
@ConfigurationProperties("sluice.topology")
public record TopologyProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("sluice-live-stats") String applicationId,
        @DefaultValue("") String stateDir,
        @DefaultValue("1") int standbyReplicas,
        @DefaultValue("1s") Duration commitInterval,
        @DefaultValue("1") int threads,
        @DefaultValue("10m") Duration rememberSetsFor) {
}
