package io.sluice.topology.stats;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobChangeSet;
import io.sluice.core.event.JobEvent;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.job.JobState;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.stats.StatsScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the job change sets of {@code sluice.events} ({@link JobChangeSet}) into changes of the
 * counts of scopes (keyed by {@link StatsScope#key()}). Each change says where its job was and
 * where it is, so its moves need nothing but the change: the counts are the sum of all moves,
 * whatever order the sets come in. What must not happen is a set counted twice (the relay
 * publishes at least once): the versions of the sets seen are remembered ({@code seen}) for
 * {@code rememberSetsFor}, against a set relayed again. Other events pass by, but attempts.
 *
 * <p>The moves are summed per scope in a store ({@code pending}) and passed on once per
 * {@code flushInterval}: one record per scope and interval leaves the task instead of two per
 * change, which keeps the repartitioning cheap. The sums are a store, not a map, so they commit
 * with the versions seen (exactly-once): a crash loses neither.
 */
final class JobMoves implements Processor<String, byte[], String, ScopeDelta> {

    private static final Logger log = LoggerFactory.getLogger(JobMoves.class);

    private final String seenStore;
    private final String pendingStore;
    private final Duration flushInterval;
    private final Duration rememberSetsFor;
    private ProcessorContext<String, ScopeDelta> context;
    private KeyValueStore<Long, Long> seen;
    private KeyValueStore<String, ScopeDelta> pending;
    /**
     * The pending store's values as objects, for the scopes written since the last flush: every
     * write to that store goes through here, so a read needs no decoding. Cleared when the task
     * (re)starts, when the store may hold other values.
     */
    private final Map<String, ScopeDelta> pendingObjects = new HashMap<>();
    /** Each endpoint's attempts since the last flush (see {@link #onAttempt}). */
    private final Map<String, ScopeDelta> attemptSums = new HashMap<>();

    JobMoves(String seenStore, String pendingStore, Duration flushInterval, Duration rememberSetsFor) {
        this.seenStore = seenStore;
        this.pendingStore = pendingStore;
        this.flushInterval = flushInterval;
        this.rememberSetsFor = rememberSetsFor;
    }

    @Override
    public void init(ProcessorContext<String, ScopeDelta> context) {
        this.context = context;
        this.seen = context.getStateStore(seenStore);
        this.pending = context.getStateStore(pendingStore);
        this.pendingObjects.clear();
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, this::flush);
        context.schedule(rememberSetsFor, PunctuationType.WALL_CLOCK_TIME, this::forgetOldSets);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Header header = record.headers().lastHeader(JobEvent.TYPE_HEADER);
        String type = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        try {
            if (JobChangeSet.TYPE.equals(type)) {
                onSet(EventCodec.decodeChangeSet(record.value()), record.timestamp());
            } else if (JobEvent.ATTEMPT_RECORDED.equals(type)) {
                onAttempt((AttemptRecorded) EventCodec.decode(type, record.value()));
            } else if (JobEvent.JOB_STATE.equals(type)) {
                // A single change, as releases before change sets relayed them: counted as it
                // comes (their repeats, rare, were told apart by a per-job memory no longer kept).
                addMoves(List.of((JobStateChanged) EventCodec.decode(type, record.value())));
            }
        } catch (MalformedRecordException e) {
            log.error("Skipping an unreadable {} event ({}): {}", type, record.key(), e.getMessage());
        }
    }

    private void onSet(JobChangeSet set, long relayedAt) {
        if (seen.get(set.version()) != null) {
            return;
        }
        seen.put(set.version(), relayedAt);
        addMoves(set.changes());
    }

    private void addMoves(List<JobStateChanged> changes) {
        // The scopes' keys (text) and sums are looked up once per scope and set.
        Map<StatsScope, ScopeDelta> touched = new HashMap<>();
        for (JobStateChanged change : changes) {
            for (KeyValue<StatsScope, StateMove> move : moves(change)) {
                touched.computeIfAbsent(move.key, scope -> pendingOf(scope.key())).add(move.value, change.createdAt());
            }
        }
        // Once per scope and set: the store's cache copies the value on every put.
        touched.forEach((scope, sum) -> pending.put(scope.key(), sum));
    }

    /**
     * An attempt counts for its endpoint as it was relayed: attempt events carry no version, and
     * the producer's idempotence keeps them from being relayed twice (a retried send after a
     * worker's producer restarted is the rare exception, counted twice). Being counted as they
     * come, their sums need no store committed with the sets seen: they wait in memory for the
     * next flush, and a crash in between loses (or, replayed, repeats) a commit interval of them.
     * That spares a store read and write per attempt, as many as there are deliveries.
     */
    private void onAttempt(AttemptRecorded attempt) {
        if (attempt.endpointId() == null || attempt.startedAt() == null) {
            return;
        }
        attemptSums.computeIfAbsent(StatsScope.endpoint(attempt.organizationId(), attempt.endpointId()).key(),
                        scope -> new ScopeDelta())
                .addAttempt(attempt.statusCode() != null && attempt.statusCode() / 100 == 2, attempt.startedAt(),
                        attempt.durationMs());
    }

    private ScopeDelta pendingOf(String scope) {
        ScopeDelta sum = pendingObjects.get(scope);
        if (sum == null) {
            sum = pending.get(scope);
            sum = sum != null ? sum : new ScopeDelta();
            pendingObjects.put(scope, sum);
        }
        return sum;
    }

    /** Passes on each scope's summed moves, and forgets them. */
    private void flush(long nowMillis) {
        List<KeyValue<String, ScopeDelta>> sums = new ArrayList<>();
        try (KeyValueIterator<String, ScopeDelta> all = pending.all()) {
            all.forEachRemaining(sums::add);
        }
        pendingObjects.clear();
        for (KeyValue<String, ScopeDelta> sum : sums) {
            pending.delete(sum.key);
            if (!sum.value.isEmpty()) {
                context.forward(new Record<>(sum.key, sum.value, nowMillis));
            }
        }
        attemptSums.forEach((scope, sum) -> context.forward(new Record<>(scope, sum, nowMillis)));
        attemptSums.clear();
    }

    /**
     * The moves of one change, per scope it counts in: out of the old state (and queue), into the
     * new. A pending job that stays pending but was stamped anew (see V31) moves from pending to
     * pending: its count stays, the second it waits since changes.
     */
    static List<KeyValue<StatsScope, StateMove>> moves(JobStateChanged change) {
        List<KeyValue<StatsScope, StateMove>> moves = new ArrayList<>(3);
        StateMove move = new StateMove(change.from(), change.to(), change.at(), change.fromSince(), change.since());
        boolean shifts = !Objects.equals(change.from(), change.to())
                || change.to() == JobState.PENDING && !Objects.equals(change.fromSince(), change.since());
        StatsScope queue = StatsScope.queue(change.organizationId(), change.queueName());
        if (change.from() != null && !change.fromQueueName().equals(change.queueName())) {
            moves.add(KeyValue.pair(StatsScope.queue(change.organizationId(), change.fromQueueName()),
                    new StateMove(change.from(), null, change.at(), change.fromSince(), null)));
            if (change.to() != null) {
                moves.add(KeyValue.pair(queue, new StateMove(null, change.to(), change.at(), null, change.since())));
            }
        } else if (shifts) {
            moves.add(KeyValue.pair(queue, move));
        }
        if (shifts) {
            moves.add(KeyValue.pair(StatsScope.organization(change.organizationId()), move));
        }
        return moves;
    }

    /** A set relayed again comes within moments of the first time; older versions are let go. */
    private void forgetOldSets(long nowMillis) {
        List<Long> forgotten = new ArrayList<>();
        try (KeyValueIterator<Long, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<Long, Long> entry = all.next();
                if (entry.value < nowMillis - rememberSetsFor.toMillis()) {
                    forgotten.add(entry.key);
                }
            }
        }
        forgotten.forEach(seen::delete);
    }
}
