package io.sluice.topology.live;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a stream has read {@code sluice.events}: on each partition, the last event seen, as a
 * cursor (-1: none). A record may hold many events (a {@code JobChangeSet}), so a cursor is the
 * record's offset times {@link #SLOTS} plus the event's index in it; an event that is a record
 * of its own takes the record's last slot. It is the {@code id:} of every frame, so a client that
 * reconnects with {@code Last-Event-ID} to any node resumes exactly after what it saw, even in
 * the middle of a record: every node reads the same partitions, and offsets are the same on all
 * of them.
 */
public final class StreamPosition {

    /** Events one record may hold; a change set holds 1,000 at most (V30). */
    public static final int SLOTS = 1024;
    /** The index of an event that is a whole record (and of the last event of a set). */
    public static final int WHOLE = SLOTS - 1;

    private static final char SEPARATOR = '.';

    private final long[] cursors;

    private StreamPosition(long[] cursors) {
        this.cursors = cursors;
    }

    public static StreamPosition none(int partitions) {
        long[] cursors = new long[partitions];
        Arrays.fill(cursors, -1);
        return new StreamPosition(cursors);
    }

    /** This position, with the record at {@code offset} of {@code partition} seen whole. */
    public StreamPosition after(int partition, long offset) {
        return after(partition, offset, WHOLE);
    }

    /** This position, with the event at {@code index} of the record at {@code offset} seen. */
    public StreamPosition after(int partition, long offset, int index) {
        long[] next = cursors.clone();
        next[partition] = Math.max(next[partition], cursor(offset, index));
        return new StreamPosition(next);
    }

    /** Whether the record at {@code offset} of {@code partition} was seen whole at this position. */
    public boolean covers(int partition, long offset) {
        return covers(partition, offset, WHOLE);
    }

    /** Whether the event at {@code index} of the record at {@code offset} was seen at this position. */
    public boolean covers(int partition, long offset, int index) {
        return partition < cursors.length && cursor(offset, index) <= cursors[partition];
    }

    /** The offset of the record of the last event seen on {@code partition} (-1: none). */
    public long offset(int partition) {
        return Math.floorDiv(cursors[partition], SLOTS);
    }

    private static long cursor(long offset, int index) {
        if (index < 0 || index > WHOLE) {
            throw new IllegalArgumentException("an event's index in its record is 0 to " + WHOLE + ": " + index);
        }
        return offset * SLOTS + index;
    }

    public int partitions() {
        return cursors.length;
    }

    /** Cursors in base 36, joined by dots: {@code 1z.0.-1.k3}. */
    public String encode() {
        StringBuilder id = new StringBuilder(cursors.length * 4);
        for (int p = 0; p < cursors.length; p++) {
            if (p > 0) {
                id.append(SEPARATOR);
            }
            id.append(Long.toString(cursors[p], 36));
        }
        return id.toString();
    }

    /** @return empty for text that is not a position over {@code partitions} partitions */
    public static Optional<StreamPosition> decode(String id, int partitions) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        String[] parts = id.trim().split("\\.", -1);
        if (parts.length != partitions) {
            return Optional.empty();
        }
        long[] cursors = new long[partitions];
        try {
            for (int p = 0; p < partitions; p++) {
                cursors[p] = Long.parseLong(parts[p], 36);
                if (cursors[p] < -1) {
                    return Optional.empty();
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new StreamPosition(cursors));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamPosition that && Arrays.equals(cursors, that.cursors);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cursors);
    }

    @Override
    public String toString() {
        return encode();
    }
}
