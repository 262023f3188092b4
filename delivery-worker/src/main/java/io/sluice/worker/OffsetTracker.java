package io.sluice.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which offsets may be committed while records finish out of order. Per partition the
 * committable offset is the lowest offset still in flight, or one past the highest offset
 * seen when none is: a record is never committed before every record before it has a
 * durable fate.
 *
 * <p>{@link #started}, {@link #committable} and the commits are called by the polling thread only;
 * {@link #finished} from any thread.
 */
final class OffsetTracker {

    private static final Logger log = LoggerFactory.getLogger(OffsetTracker.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

    private static final class PartitionState {
        final ConcurrentSkipListSet<Long> inFlight = new ConcurrentSkipListSet<>();
        volatile long next = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();

    void started(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.inFlight.add(offset);
        state.next = offset + 1;
    }

    void finished(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.inFlight.remove(offset);
        }
    }

    /** Offsets that advanced since the last call, ready to commit. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, state) -> {
            long next = state.next;
            Long lowest = state.inFlight.isEmpty() ? null : state.inFlight.first();
            long commit = lowest == null ? next : lowest;
            if (commit > state.committed) {
                offsets.put(partition, new OffsetAndMetadata(commit));
                state.committed = commit;
            }
        });
        return offsets;
    }

    int inFlight() {
        int total = 0;
        for (PartitionState state : partitions.values()) {
            total += state.inFlight.size();
        }
        return total;
    }

    /** Commits what may be committed without waiting; a failed commit is covered by a later one. */
    void commitAsync(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> ready = committable();
        if (!ready.isEmpty()) {
            consumer.commitAsync(ready, (offsets, e) -> {
                if (e != null) {
                    log.debug("Offset commit failed, a later one will cover it: {}", e.toString());
                }
            });
        }
    }

    /**
     * Commits what may be committed and waits, at most {@link #COMMIT_TIMEOUT}: before a
     * partition is given up, and at shutdown, when the broker may already be gone. A failed
     * commit means those records are read again, never that any is lost.
     */
    void commitSync(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> ready = committable();
        if (ready.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(ready, COMMIT_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("Offset commit failed; those records will be read again: {}", e.toString());
        }
    }

    /** Forgets partitions this consumer no longer owns; their late completions are ignored. */
    void forget(java.util.Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
