package io.sluice.topology.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobEvent;
import io.sluice.core.event.JobChangeSet;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.job.JobState;
import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.FlowRates;
import io.sluice.core.stats.LatencyPercentiles;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import io.sluice.core.stats.StatsScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats topology's arithmetic, on Kafka Streams' test driver: each queue's and each
 * organization's line counts its jobs by their newest state, and repeated, late or foreign
 * events do not change what it counts.
 */
class StatsTopologyTest {

    private static final Topics TOPICS = new Topics("t", 3, 3, (short) 1, List.of(), Duration.ofDays(1));
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration FLUSH = Duration.ofMillis(200);

    @TempDir
    Path stateDir;

    private final UUID org = UUID.randomUUID();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, ScopeStats> stats;
    private long version;
    /** Each job's queue and the time it entered its state, as of its last change made here. */
    private final Map<UUID, String> queues = new HashMap<>();
    private final Map<UUID, Instant> entered = new HashMap<>();
    private final Map<String, ScopeStats> latest = new HashMap<>();

    private void start() {
        start(Instant.now());
    }

    /** Starts the topology with the node's clock at {@code wallClock} (the test moves it on). */
    private void start(Instant wallClock) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(StatsTopology.build(TOPICS, FLUSH, Duration.ofMinutes(10)), config,
                wallClock);
        events = driver.createInputTopic(TOPICS.events(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        stats = driver.createOutputTopic(TOPICS.stats(), Serdes.String().deserializer(),
                StatsTopology.stats().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void eachQueueAndTheOrganizationCountTheirJobsByNewestState() {
        start();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        send(change(a, "emails", null, JobState.PENDING));
        send(change(b, "emails", null, JobState.PENDING));
        send(change(c, "reports", null, JobState.SCHEDULED));
        send(change(a, "emails", JobState.PENDING, JobState.COMPLETED));
        send(change(b, "emails", JobState.PENDING, JobState.DEADLETTER));
        send(change(c, "reports", JobState.SCHEDULED, JobState.PENDING));

        Map<String, ScopeStats> lines = stats.readKeyValuesToMap();
        assertThat(lines.get(StatsScope.queue(org, "emails").key()).counts())
                .isEqualTo(new StateCounts(0, 0, 0, 1, 0, 1, 0));
        assertThat(lines.get(StatsScope.queue(org, "reports").key()).counts())
                .isEqualTo(new StateCounts(0, 1, 0, 0, 0, 0, 0));
        assertThat(lines.get(StatsScope.organization(org).key()).counts())
                .isEqualTo(new StateCounts(0, 1, 0, 1, 0, 1, 0));
        assertThat(lines.get(StatsScope.organization(org).key()).scope()).isEqualTo(StatsScope.organization(org));
    }

    @Test
    void aSetRelayedAgainCountsNothing() {
        start();
        UUID job = UUID.randomUUID();
        JobChangeSet created = set(change(job, "emails", null, JobState.PENDING));
        JobChangeSet completed = set(change(job, "emails", JobState.PENDING, JobState.COMPLETED));
        send(created);
        send(completed);
        assertThat(stats.readKeyValuesToMap().get(StatsScope.queue(org, "emails").key()).counts())
                .isEqualTo(new StateCounts(0, 0, 0, 1, 0, 0, 0));

        send(completed); // relayed twice
        send(created);   // and again, after its successor

        assertThat(stats.isEmpty()).as("no line changed").isTrue();
    }

    @Test
    void setsAddUpToTheSameCountsInWhateverOrderTheyCome() {
        start();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        JobChangeSet created = set(change(a, "emails", null, JobState.PENDING),
                change(b, "emails", null, JobState.PENDING));
        JobChangeSet claimed = set(change(a, "emails", JobState.PENDING, JobState.PROCESSING));
        JobChangeSet done = set(change(a, "emails", JobState.PROCESSING, JobState.COMPLETED),
                change(b, "emails", JobState.PENDING, JobState.CANCELLED));

        send(done);
        send(claimed);
        send(created);

        Map<String, ScopeStats> lines = stats.readKeyValuesToMap();
        assertThat(lines.get(StatsScope.queue(org, "emails").key()).counts())
                .isEqualTo(new StateCounts(0, 0, 0, 1, 0, 0, 1));
        assertThat(lines.get(StatsScope.organization(org).key()).counts())
                .isEqualTo(new StateCounts(0, 0, 0, 1, 0, 0, 1));
    }

    @Test
    void aGoneJobLeavesTheCounts() {
        start();
        UUID kept = UUID.randomUUID();
        UUID purged = UUID.randomUUID();
        send(change(kept, "emails", null, JobState.DEADLETTER));
        JobChangeSet created = set(change(purged, "emails", null, JobState.DEADLETTER));
        send(created);
        send(change(purged, "emails", JobState.DEADLETTER, null));
        send(created);

        Map<String, ScopeStats> lines = stats.readKeyValuesToMap();
        assertThat(lines.get(StatsScope.queue(org, "emails").key()).counts().deadletter()).isEqualTo(1);
        assertThat(lines.get(StatsScope.organization(org).key()).counts().total()).isEqualTo(1);
    }

    @Test
    void aSingleChangeAsEarlierReleasesRelayedItCounts() {
        start();
        JobStateChanged change = change(UUID.randomUUID(), "emails", null, JobState.PENDING);
        events.pipeInput(new TestRecord<>(change.jobId().toString(), EventCodec.encode(change),
                headers(JobEvent.JOB_STATE), change.at()));
        driver.advanceWallClockTime(FLUSH);

        assertThat(stats.readKeyValuesToMap().get(StatsScope.queue(org, "emails").key()).counts().pending())
                .isEqualTo(1);
    }

    @Test
    void aJobMovedToAnotherQueueIsCountedThereOnly() {
        start();
        UUID job = UUID.randomUUID();
        send(change(job, "emails", null, JobState.PENDING));
        send(change(job, "reports", JobState.PENDING, JobState.PENDING));

        Map<String, ScopeStats> lines = stats.readKeyValuesToMap();
        assertThat(lines.get(StatsScope.queue(org, "emails").key()).counts().total()).isZero();
        assertThat(lines.get(StatsScope.queue(org, "reports").key()).counts().pending()).isEqualTo(1);
        assertThat(lines.get(StatsScope.organization(org).key()).counts().pending()).isEqualTo(1);
    }

    @Test
    void otherEventsAndUnreadableOnesPassBy() {
        start();
        UUID job = UUID.randomUUID();
        AttemptRecorded attempt = new AttemptRecorded(UUID.randomUUID(), job, org, null, T0, 5, 200, "", null,
                null, JobState.COMPLETED, "w", 1, null, null, false);
        events.pipeInput(new TestRecord<>(job.toString(), EventCodec.encode(attempt),
                headers(JobEvent.ATTEMPT_RECORDED), T0));
        events.pipeInput(new TestRecord<>(job.toString(), "{not json".getBytes(StandardCharsets.UTF_8),
                headers(JobEvent.JOB_STATE), T0));
        events.pipeInput(new TestRecord<>(JobChangeSet.KEY, new byte[] {10, 50, 1}, headers(JobChangeSet.TYPE), T0));
        assertThat(stats.isEmpty()).isTrue();

        send(change(job, "emails", null, JobState.PENDING));
        assertThat(stats.readValue().counts().pending()).isEqualTo(1);
    }

    @Test
    void eachLineTellsTheRatesOfOutcomesOverTheLastSecondMinuteAndHour() {
        start(T0);
        for (int i = 0; i < 20; i++) {
            UUID job = UUID.randomUUID();
            send(change(job, "emails", null, JobState.PENDING, T0, T0));
            send(change(job, "emails", JobState.PENDING, i < 18 ? JobState.COMPLETED : JobState.DEADLETTER,
                    T0, T0.plusMillis(500)));
        }
        driver.advanceWallClockTime(Duration.ofMillis(1_000)); // T0 + 9 s: outcomes of T0's second

        ScopeFlow flow = lastLine(StatsScope.queue(org, "emails")).flow();
        assertThat(flow.delivered()).isEqualTo(new FlowRates(0, 18 / 60.0, 18 / 3600.0));
        assertThat(flow.failed()).isEqualTo(new FlowRates(0, 2 / 60.0, 2 / 3600.0));
        assertThat(flow.deadLettered()).isEqualTo(new FlowRates(0, 2 / 60.0, 2 / 3600.0));
        assertThat(lastLine(StatsScope.organization(org)).flow().delivered().lastMinute()).isEqualTo(18 / 60.0);

        driver.advanceWallClockTime(Duration.ofMinutes(1));
        flow = lastLine(StatsScope.queue(org, "emails")).flow();
        assertThat(flow.delivered()).as("out of the minute, still in the hour")
                .isEqualTo(new FlowRates(0, 0, 18 / 3600.0));
    }

    @Test
    void theLastSecondsRateCountsTheSecondJustEnded() {
        start(T0);
        UUID job = UUID.randomUUID();
        send(change(job, "emails", null, JobState.PENDING, T0, T0));
        send(change(job, "emails", JobState.PENDING, JobState.COMPLETED, T0, T0.plusMillis(300)));
        // The driver's clock is at T0 + 400 ms; a second later, the second of T0 has just ended.
        driver.advanceWallClockTime(Duration.ofMillis(1_000));

        assertThat(lastLine(StatsScope.queue(org, "emails")).flow().delivered().lastSecond()).isEqualTo(1);
    }

    @Test
    void latencyPercentilesComeFromEnqueueToCompletion() {
        start(T0);
        for (int i = 1; i <= 100; i++) {
            UUID job = UUID.randomUUID();
            Instant enqueued = T0.minusMillis(i * 10L);
            send(change(job, "emails", null, JobState.PENDING, enqueued, enqueued));
            send(change(job, "emails", JobState.PENDING, JobState.COMPLETED, enqueued, T0));
        }

        LatencyPercentiles latency = lastLine(StatsScope.queue(org, "emails")).flow().latencyLastMinute();
        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50()).isCloseTo(500, withinPercentage(5));
        assertThat(latency.p90()).isCloseTo(900, withinPercentage(5));
        assertThat(latency.p99()).isCloseTo(990, withinPercentage(5));
        assertThat(lastLine(StatsScope.queue(org, "emails")).flow().latencyLastHour()).isEqualTo(latency);
    }

    @Test
    void theOldestPendingJobsAgeGrowsUntilItLeaves() {
        start(T0);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        send(change(first, "emails", null, JobState.PENDING, T0, T0));
        send(change(second, "emails", null, JobState.PENDING, T0.plusSeconds(2), T0.plusSeconds(2)));
        driver.advanceWallClockTime(Duration.ofSeconds(5)); // about T0 + 5.4 s

        assertThat(lastLine(StatsScope.queue(org, "emails")).flow().oldestPendingMs()).isBetween(5_000L, 6_000L);

        send(change(first, "emails", JobState.PENDING, JobState.COMPLETED, T0, T0.plusSeconds(5)));
        assertThat(lastLine(StatsScope.queue(org, "emails")).flow().oldestPendingMs()).isBetween(3_000L, 4_000L);

        send(change(second, "emails", JobState.PENDING, JobState.PROCESSING, T0, T0.plusSeconds(6)));
        assertThat(lastLine(StatsScope.queue(org, "emails")).flow().oldestPendingMs()).isNull();
    }

    @Test
    void anIdleScopeWritesNoMoreLinesOnceItsFlowsStandStill() {
        start(T0);
        UUID job = UUID.randomUUID();
        send(change(job, "emails", null, JobState.PENDING, T0, T0));
        send(change(job, "emails", JobState.PENDING, JobState.COMPLETED, T0, T0));
        driver.advanceWallClockTime(Duration.ofHours(2));
        stats.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(stats.isEmpty()).isTrue();
    }

    @Test
    void anEndpointsLineCountsItsAttemptsAndHowLongTheyTook() {
        start(T0);
        UUID endpoint = UUID.randomUUID();
        int[] statuses = {200, 204, 200, 500};
        for (int i = 0; i < statuses.length; i++) {
            UUID job = UUID.randomUUID();
            AttemptRecorded attempt = new AttemptRecorded(UUID.randomUUID(), job, org, endpoint, T0, 100L * (i + 1),
                    statuses[i], "", null, null, statuses[i] == 200 ? JobState.COMPLETED : JobState.PENDING, "w", 1,
                    null, null, false);
            events.pipeInput(new TestRecord<>(job.toString(), EventCodec.encode(attempt),
                    headers(JobEvent.ATTEMPT_RECORDED), T0));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        ScopeStats line = lastLine(StatsScope.endpoint(org, endpoint));
        assertThat(line.counts()).isEqualTo(StateCounts.NONE);
        assertThat(line.flow().delivered().lastMinute()).as("answered 2xx").isEqualTo(3 / 60.0);
        assertThat(line.flow().failed().lastMinute()).isEqualTo(1 / 60.0);
        assertThat(line.flow().latencyLastMinute().count()).isEqualTo(4);
        assertThat(line.flow().latencyLastMinute().p50()).isCloseTo(200, withinPercentage(5));
        assertThat(line.flow().latencyLastMinute().p99()).isCloseTo(400, withinPercentage(5));
        assertThat(lastLine(StatsScope.organization(org))).as("attempts do not count as jobs").isNull();
    }

    private ScopeStats lastLine(StatsScope scope) {
        Map<String, ScopeStats> lines = stats.readKeyValuesToMap();
        latest.putAll(lines);
        return latest.get(scope.key());
    }

    /**
     * A change as the database records it: the queue the job was in and the time it entered its
     * state are those of its previous change.
     */
    private JobStateChanged change(UUID job, String queue, JobState from, JobState to, Instant createdAt, Instant at) {
        version++;
        String fromQueue = queues.put(job, queue);
        Instant fromSince = entered.put(job, at);
        return new JobStateChanged(version, job, org, queue, from, to, createdAt, 0, 0, null, at, fromQueue,
                fromSince, to == null ? null : at);
    }

    private JobStateChanged change(UUID job, String queue, JobState from, JobState to) {
        return change(job, queue, from, to, T0, T0.plusMillis(version + 1));
    }

    private JobChangeSet set(JobStateChanged... changes) {
        version++;
        return new JobChangeSet(version, Stream.of(changes).map(change -> new JobStateChanged(version,
                change.jobId(), change.organizationId(), change.queueName(), change.from(), change.to(),
                change.createdAt(), change.priority(), change.attempts(), change.error(), change.at(),
                change.fromQueueName(), change.fromSince(), change.since())).toList());
    }

    /** Sends the change in a set of its own. */
    private void send(JobStateChanged change) {
        send(set(change));
    }

    /** Sends the set, and lets the time pass after which the task passes on its sums. */
    private void send(JobChangeSet set) {
        events.pipeInput(new TestRecord<>(JobChangeSet.KEY, EventCodec.encode(set), headers(JobChangeSet.TYPE),
                set.changes().getFirst().at()));
        driver.advanceWallClockTime(FLUSH);
    }

    private static RecordHeaders headers(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(JobEvent.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
