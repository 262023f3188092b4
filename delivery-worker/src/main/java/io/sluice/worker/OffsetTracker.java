package io.sluice.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while records finish out of order. Per partition the
 * committable offset is the lowest offset still in flight, or one past the highest offset
 * seen when none is: a record is never committed before every record before it has a
 * durable fate.
 *
 * <p>{@link #started} and {@link #committable} are called by the polling thread only;
 * {@link #finished} from any thread.
 */
final class OffsetTracker {

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

    /** Forgets partitions this consumer no longer owns; their late completions are ignored. */
    void forget(java.util.Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
