package io.sluice.topology.stats;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobEvent;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.stats.StatsScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Turns the {@code job.state} events of {@code sluice.events} (keyed by job id) into changes of
 * the counts of scopes (keyed by {@link StatsScope#key()}). It remembers each job's
 * {@link JobStanding}, so a repeated or older change moves nothing: the counts are those of
 * the jobs' newest changes, however often or late a change is delivered. Other events pass by.
 *
 * <p>The moves are summed per scope in a store ({@code pending}) and passed on once per
 * {@code flushInterval}: one record per scope and interval leaves the task instead of two per
 * change, which keeps the repartitioning cheap. The sums are a store, not a map, so they commit
 * with the standings (exactly-once): a crash loses neither.
 */
final class JobStandings implements Processor<String, byte[], String, ScopeDelta> {

    private static final Logger log = LoggerFactory.getLogger(JobStandings.class);

    private final String standingsStore;
    private final String pendingStore;
    private final Duration flushInterval;
    private final Duration forgetGoneAfter;
    private ProcessorContext<String, ScopeDelta> context;
    private KeyValueStore<String, JobStanding> standings;
    private KeyValueStore<String, ScopeDelta> pending;
    /**
     * The pending store's values as objects, for the scopes written since the last flush: every
     * write to that store goes through here, so a read needs no decoding (it took a third of the
     * time of a change). Cleared when the task (re)starts, when the store may hold other values.
     */
    private final Map<String, ScopeDelta> pendingObjects = new HashMap<>();
    /** Each endpoint's attempts since the last flush (see {@link #onAttempt}). */
    private final Map<String, ScopeDelta> attemptSums = new HashMap<>();

    JobStandings(String standingsStore, String pendingStore, Duration flushInterval, Duration forgetGoneAfter) {
        this.standingsStore = standingsStore;
        this.pendingStore = pendingStore;
        this.flushInterval = flushInterval;
        this.forgetGoneAfter = forgetGoneAfter;
    }

    @Override
    public void init(ProcessorContext<String, ScopeDelta> context) {
        this.context = context;
        this.standings = context.getStateStore(standingsStore);
        this.pending = context.getStateStore(pendingStore);
        this.pendingObjects.clear();
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, this::flush);
        context.schedule(forgetGoneAfter, PunctuationType.WALL_CLOCK_TIME, this::forgetGone);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Header header = record.headers().lastHeader(JobEvent.TYPE_HEADER);
        String type = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        if (!JobEvent.JOB_STATE.equals(type) && !JobEvent.ATTEMPT_RECORDED.equals(type)) {
            return;
        }
        JobEvent event;
        try {
            event = EventCodec.decode(type, record.value());
        } catch (MalformedRecordException e) {
            log.error("Skipping an unreadable {} event for job {}: {}", type, record.key(), e.getMessage());
            return;
        }
        switch (event) {
            case JobStateChanged change -> onChange(change);
            case AttemptRecorded attempt -> onAttempt(attempt);
            default -> {
            }
        }
    }

    private void onChange(JobStateChanged change) {
        String job = change.jobId().toString();
        JobStanding known = standings.get(job);
        if (known != null && known.version() >= change.version()) {
            return;
        }
        JobStanding next = JobStanding.of(change);
        standings.put(job, next);
        for (KeyValue<StatsScope, StateMove> move : moves(known, next)) {
            String scope = move.key.key();
            ScopeDelta sum = pendingOf(scope);
            sum.add(move.value, change.createdAt());
            pending.put(scope, sum);
        }
    }

    /**
     * An attempt counts for its endpoint as it was relayed: attempt events carry no version, and
     * the producer's idempotence keeps them from being relayed twice (a retried send after a
     * worker's producer restarted is the rare exception, counted twice). Being counted as they
     * come, their sums need no store committed with the standings: they wait in memory for the
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

    /** The moves from a job's known standing (null: not seen) to its next, per scope it counts in. */
    static List<KeyValue<StatsScope, StateMove>> moves(JobStanding known, JobStanding next) {
        List<KeyValue<StatsScope, StateMove>> moves = new ArrayList<>(3);
        boolean wasCounted = known != null && !known.gone();
        if (wasCounted && !known.queue().equals(next.queue())) {
            moves.add(KeyValue.pair(known.queue(), new StateMove(known.state(), null, next.at(), known.at())));
            moves.add(KeyValue.pair(next.queue(), new StateMove(null, next.state(), next.at(), null)));
        } else if (!Objects.equals(wasCounted ? known.state() : null, next.state())) {
            moves.add(KeyValue.pair(next.queue(), move(known, wasCounted, next)));
        }
        if (!Objects.equals(wasCounted ? known.state() : null, next.state())) {
            moves.add(KeyValue.pair(next.organization(), move(known, wasCounted, next)));
        }
        return moves;
    }

    private static StateMove move(JobStanding known, boolean wasCounted, JobStanding next) {
        return wasCounted ? new StateMove(known.state(), next.state(), next.at(), known.at())
                : new StateMove(null, next.state(), next.at(), null);
    }

    /** Standings of gone jobs are kept only as long as a straggling change could still arrive. */
    private void forgetGone(long nowMillis) {
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, JobStanding> all = standings.all()) {
            while (all.hasNext()) {
                KeyValue<String, JobStanding> entry = all.next();
                if (entry.value.gone() && entry.value.at().toEpochMilli() < nowMillis - forgetGoneAfter.toMillis()) {
                    forgotten.add(entry.key);
                }
            }
        }
        forgotten.forEach(standings::delete);
    }
}
