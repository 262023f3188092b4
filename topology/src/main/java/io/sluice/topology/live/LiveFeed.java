package io.sluice.topology.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobChangeSet;
import io.sluice.core.event.JobEvent;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.event.WorkerChanged;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.CircuitLine;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StatsCodec;
import io.sluice.core.stats.StatsScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The realtime feed of one node: reads every partition of {@code sluice.events} from where it
 * stood when the node started (no consumer group: every node reads everything, so any node
 * serves any stream), and {@code sluice.stats} and {@code sluice.circuits} whole; it hands each
 * job change, each worker change and each queue's counts to the open streams of its
 * organization. It keeps the last {@code sluice.realtime.replay-events} changes, so a stream that
 * resumes with {@code Last-Event-ID} (a {@link StreamPosition}) on any node misses nothing that
 * recent.
 */
@Component
@EnableConfigurationProperties(RealtimeProperties.class)
@ConditionalOnProperty(name = "sluice.realtime.enabled", havingValue = "true", matchIfMissing = true)
public class LiveFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    private static final Duration READY_WAIT = Duration.ofSeconds(10);

    private final KafkaProperties kafka;
    private final Topics topics;
    private final RealtimeProperties properties;
    private final Object lock = new Object();
    private final ArrayDeque<Kept> replay = new ArrayDeque<>();
    private final Map<UUID, Set<Subscription>> streams = new ConcurrentHashMap<>();
    private final Map<String, ScopeStats> stats = new ConcurrentHashMap<>();
    private final Map<String, CircuitLine> circuits = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Timer toKafka;
    private final Timer toFeed;
    /** Per partition, the newest offset no longer in {@link #replay} (before this node started, or evicted). */
    private long[] forgottenUpTo;
    /** The events of the records in {@link #replay}. */
    private long keptEvents;
    private volatile StreamPosition position;
    private volatile NodeHealth health;
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public LiveFeed(KafkaProperties kafka, Topics topics, RealtimeProperties properties, MeterRegistry meters) {
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        Gauge.builder("sluice.live.streams", streams, all -> all.values().stream().mapToInt(Set::size).sum())
                .description("Realtime streams (SSE and WebSocket) open on this node").register(meters);
        // How fresh the streams are, in two legs: from the change in PostgreSQL until the relay
        // put it on Kafka, and from there until this node's feed read it.
        this.toKafka = Timer.builder("sluice.live.lag").tag("leg", "change_to_kafka").publishPercentileHistogram()
                .description("Time a job state change takes to reach the realtime feed, by leg").register(meters);
        this.toFeed = Timer.builder("sluice.live.lag").tag("leg", "kafka_to_feed").publishPercentileHistogram()
                .description("Time a job state change takes to reach the realtime feed, by leg").register(meters);
    }

    /**
     * Opens a stream. With a {@code lastEventId} this node can read, the job changes after it are
     * sent first (and a {@code REPLAY_INCOMPLETE} error when some are no longer kept); a stream
     * starts with the counts of the queues it follows.
     *
     * @throws IllegalStateException when the feed has not caught up with Kafka within a few seconds
     */
    public Subscription subscribe(LiveFilter filter, String lastEventId, LiveSink sink) {
        awaitReady();
        Subscription subscription;
        synchronized (lock) {
            Optional<StreamPosition> floor = StreamPosition.decode(lastEventId, position.partitions());
            subscription = new Subscription(filter, floor.orElse(null),
                    floor.map(StreamPosition::encode).orElse(position.encode()), sink,
                    properties.clientBuffer() + (floor.isPresent() ? (int) keptEvents : 0),
                    properties.keepAlive(), properties.statsInterval(), properties.healthInterval(), this::forget);
            streams.computeIfAbsent(filter.organizationId(), org -> ConcurrentHashMap.newKeySet()).add(subscription);
            if (floor.isPresent()) {
                if (forgotten(floor.get())) {
                    subscription.sendNow(LiveMessage.error("REPLAY_INCOMPLETE", "Some events after Last-Event-ID"
                            + " are no longer kept by this node; what follows is all it has"), false);
                }
                for (Kept kept : replay) {
                    kept.events().forEach(subscription::offer);
                }
            }
        }
        // Where the counts stand: the first QueueStats of each queue followed
        queueStats(filter.organizationId()).stream()
                .filter(line -> filter.wantsStatsOf(line.scope().organizationId(), line.scope().queueName()))
                .forEach(subscription::offerStats);
        NodeHealth latest = health;
        if (latest != null) {
            subscription.offerHealth(latest); // said at once only when the node is not healthy
        }
        subscription.start();
        return subscription;
    }

    /** Whether some stream is open on this node: the health watch looks only then. */
    public boolean hasStreams() {
        return streams.values().stream().anyMatch(set -> !set.isEmpty());
    }

    /** The node's newest look at its servers, for every stream that says {@code SystemHealth}. */
    public void reportHealth(NodeHealth latest) {
        health = latest;
        streams.values().forEach(set -> set.forEach(subscription -> subscription.offerHealth(latest)));
    }

    /** The newest counts of every queue of an organization that has any. */
    public List<ScopeStats> queueStats(UUID organizationId) {
        return stats.values().stream()
                .filter(line -> line.scope().isQueue() && line.scope().organizationId().equals(organizationId))
                .toList();
    }

    /** The newest line of an endpoint's attempts, if it has had any since the stats began. */
    public Optional<ScopeStats> endpointStats(UUID organizationId, UUID endpointId) {
        return Optional.ofNullable(stats.get(StatsScope.endpoint(organizationId, endpointId).key()));
    }

    /** Where each worker node's circuit for an endpoint stands, as they last said. */
    public List<CircuitLine> circuitsOf(UUID organizationId, UUID endpointId) {
        return circuits.values().stream()
                .filter(line -> line.endpointId().equals(endpointId) && line.organizationId().equals(organizationId))
                .toList();
    }

    private boolean forgotten(StreamPosition floor) {
        for (int p = 0; p < forgottenUpTo.length; p++) {
            if (!floor.covers(p, forgottenUpTo[p])) {
                return true;
            }
        }
        return false;
    }

    private void forget(Subscription subscription) {
        Set<Subscription> ofOrganization = streams.get(subscription.filter().organizationId());
        if (ofOrganization != null) {
            ofOrganization.remove(subscription);
        }
    }

    private void awaitReady() {
        try {
            if (!ready.await(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the realtime feed has not caught up with Kafka yet");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the realtime feed", e);
        }
    }

    private void run() {
        try {
            List<TopicPartition> events = partitions(topics.events());
            List<TopicPartition> lines = partitions(topics.stats());
            List<TopicPartition> breakers = partitions(topics.circuits());
            consumer.assign(Stream.of(events, lines, breakers).flatMap(List::stream).toList());
            consumer.seekToEnd(events);
            consumer.seekToBeginning(lines);
            consumer.seekToBeginning(breakers);
            StreamPosition start = StreamPosition.none(events.size());
            forgottenUpTo = new long[events.size()];
            for (TopicPartition partition : events) {
                long seen = consumer.position(partition) - 1;
                start = start.after(partition.partition(), seen);
                forgottenUpTo[partition.partition()] = seen;
            }
            position = start;
            ready.countDown();
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.topic().equals(topics.events())) {
                            onEvent(record);
                        } else if (record.topic().equals(topics.stats())) {
                            onStats(record);
                        } else {
                            onCircuit(record);
                        }
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Kafka unreachable for a while, say: the streams stay open and resume with it.
                    log.warn("The realtime feed failed a poll, will go on: {}", e.toString());
                    Thread.sleep(1_000);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("The realtime feed could not start: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private void onEvent(ConsumerRecord<String, byte[]> record) {
        StreamPosition before = position;
        StreamPosition at = before.after(record.partition(), record.offset());
        Header header = record.headers().lastHeader(JobEvent.TYPE_HEADER);
        String type = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        boolean jobChanges = JobChangeSet.TYPE.equals(type) || JobEvent.JOB_STATE.equals(type);
        if (!jobChanges && !JobEvent.ATTEMPT_RECORDED.equals(type) && !WorkerChanged.TYPE.equals(type)) {
            position = at;
            return;
        }
        if (jobChanges) {
            toFeed.record(Math.max(0, System.currentTimeMillis() - record.timestamp()), TimeUnit.MILLISECONDS);
        }
        Kept kept = new Kept(record.partition(), record.offset(), before, record.timestamp(), type, record.value());
        // Decoding is most of the feed's cost: while no stream is open (most of a busy node's
        // life) a record is kept as it came, and decoded only if a resuming stream asks for it.
        List<LiveEvent> decoded = anyStreams() ? kept.events() : null;
        synchronized (lock) {
            position = at;
            replay.addLast(kept);
            keptEvents += kept.size;
            while (keptEvents > properties.replayEvents() && replay.size() > 1) {
                Kept evicted = replay.removeFirst();
                keptEvents -= evicted.size;
                forgottenUpTo[evicted.partition] = Math.max(forgottenUpTo[evicted.partition], evicted.offset);
            }
            // A stream may have opened since the look above (streams open under this lock): it
            // starts before this record, so it must get its events.
            List<LiveEvent> events = decoded != null || !anyStreams() ? decoded : kept.events();
            for (LiveEvent event : events == null ? List.<LiveEvent>of() : events) {
                Set<Subscription> subscribers = streams.get(event.organizationId());
                if (subscribers != null) {
                    subscribers.forEach(subscription -> subscription.offer(event));
                }
            }
        }
    }

    private boolean anyStreams() {
        for (Set<Subscription> ofOrganization : streams.values()) {
            if (!ofOrganization.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A record of job changes, an attempt or a worker change in the replay buffer: as read, and
     * as decoded once a stream needed it.
     */
    private final class Kept {
        final int partition;
        final long offset;
        /** The position before the record, on which its events' positions are built. */
        final StreamPosition before;
        final long relayedAt;
        final String type;
        /** How many events the record holds, counted without decoding them. */
        final int size;
        private byte[] value;
        private List<LiveEvent> events;

        Kept(int partition, long offset, StreamPosition before, long relayedAt, String type, byte[] value) {
            this.partition = partition;
            this.offset = offset;
            this.before = before;
            this.relayedAt = relayedAt;
            this.type = type;
            this.value = value;
            this.size = JobChangeSet.TYPE.equals(type) ? EventCodec.changeSetSize(value) : 1;
        }

        /** The decoded events, none for an unreadable record; decoded at most once. */
        synchronized List<LiveEvent> events() {
            if (value != null) {
                try {
                    events = decode();
                } catch (MalformedRecordException e) {
                    events = List.of();
                }
                value = null;
            }
            return events;
        }

        private List<LiveEvent> decode() {
            if (WorkerChanged.TYPE.equals(type)) {
                WorkerChanged change = EventCodec.decodeWorkerChange(value);
                return List.of(new LiveEvent(partition, offset, StreamPosition.WHOLE, before.after(partition, offset),
                        change.organizationId(), change.queueName(), null, List.of(LiveMessages.of(change)), false));
            }
            if (JobChangeSet.TYPE.equals(type)) {
                List<JobStateChanged> changes = EventCodec.decodeChangeSet(value).changes();
                recordChangeToKafka(changes.getFirst());
                List<LiveEvent> events = new ArrayList<>(changes.size());
                for (int i = 0; i < changes.size(); i++) {
                    // The last takes the record's last slot: after it, the record is seen whole.
                    int index = i == changes.size() - 1 ? StreamPosition.WHOLE : Math.min(i, StreamPosition.WHOLE - 1);
                    events.add(of(changes.get(i), index));
                }
                return events;
            }
            return switch (EventCodec.decode(type, value)) {
                case JobStateChanged change -> {
                    recordChangeToKafka(change);
                    yield List.of(of(change, StreamPosition.WHOLE));
                }
                case AttemptRecorded attempt -> List.of(new LiveEvent(partition, offset, StreamPosition.WHOLE,
                        before.after(partition, offset), attempt.organizationId(), attempt.queueName(),
                        attempt.jobId(), LiveMessages.of(attempt), false));
                default -> List.of();
            };
        }

        private LiveEvent of(JobStateChanged change, int index) {
            return new LiveEvent(partition, offset, index, before.after(partition, offset, index),
                    change.organizationId(), change.queueName(), change.jobId(), LiveMessages.of(change),
                    change.to() != null && LiveMessages.ends(change.to()));
        }

        private void recordChangeToKafka(JobStateChanged change) {
            toKafka.record(Math.max(0, relayedAt - change.at().toEpochMilli()), TimeUnit.MILLISECONDS);
        }
    }

    private void onCircuit(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            circuits.remove(record.key());
            return;
        }
        try {
            circuits.put(record.key(), StatsCodec.decodeCircuit(record.value()));
        } catch (MalformedRecordException e) {
            log.warn("Skipping an unreadable circuit line {}: {}", record.key(), e.getMessage());
        }
    }

    private void onStats(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            stats.remove(record.key());
            return;
        }
        ScopeStats line;
        try {
            line = StatsCodec.decode(record.value());
        } catch (MalformedRecordException e) {
            return;
        }
        stats.put(record.key(), line);
        StatsScope scope = line.scope();
        Set<Subscription> subscribers = streams.get(scope.organizationId());
        if (scope.isQueue() && subscribers != null) {
            subscribers.stream().filter(s -> s.filter().wantsStatsOf(scope.organizationId(), scope.queueName()))
                    .forEach(s -> s.offerStats(line));
        }
    }

    @Override
    public void start() {
        var config = kafka.buildConsumerProperties();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-live-feed");
        // The stats are written in transactions (exactly-once); read only what committed.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // While jobs stream in, a fetch answered at the first new record brings a handful of
        // events for a request to the broker and a poll here; waiting up to 25 ms for 16 KB
        // takes them in larger steps, well inside the live view's one-second budget.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 16 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 25);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = Thread.ofPlatform().name("sluice-live-feed").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        streams.values().forEach(all -> List.copyOf(all).forEach(Subscription::close));
        try {
            if (thread != null) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Its position and replay buffer are of one run: it is started once and stopped once. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
