package io.sluice.topology.live;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a stream has read {@code sluice.events}: the offset of the last record seen on each
 * partition (-1: none). It is the {@code id:} of every frame, so a client that reconnects with
 * {@code Last-Event-ID} to any node resumes exactly after what it saw: every node reads the same
 * partitions, and offsets are the same on all of them.
 */
public final class StreamPosition {

    private static final char SEPARATOR = '.';

    private final long[] offsets;

    private StreamPosition(long[] offsets) {
        this.offsets = offsets;
    }

    public static StreamPosition none(int partitions) {
        long[] offsets = new long[partitions];
        Arrays.fill(offsets, -1);
        return new StreamPosition(offsets);
    }

    /** This position, with the record at {@code offset} of {@code partition} seen. */
    public StreamPosition after(int partition, long offset) {
        long[] next = offsets.clone();
        next[partition] = Math.max(next[partition], offset);
        return new StreamPosition(next);
    }

    /** Whether the record at {@code offset} of {@code partition} was seen at this position. */
    public boolean covers(int partition, long offset) {
        return partition < offsets.length && offset <= offsets[partition];
    }

    public long offset(int partition) {
        return offsets[partition];
    }

    public int partitions() {
        return offsets.length;
    }

    /** Offsets in base 36, joined by dots: {@code 1z.0.-1.k3}. */
    public String encode() {
        StringBuilder id = new StringBuilder(offsets.length * 4);
        for (int p = 0; p < offsets.length; p++) {
            if (p > 0) {
                id.append(SEPARATOR);
            }
            id.append(Long.toString(offsets[p], 36));
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
        long[] offsets = new long[partitions];
        try {
            for (int p = 0; p < partitions; p++) {
                offsets[p] = Long.parseLong(parts[p], 36);
                if (offsets[p] < -1) {
                    return Optional.empty();
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(new StreamPosition(offsets));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamPosition that && Arrays.equals(offsets, that.offsets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets);
    }

    @Override
    public String toString() {
        return encode();
    }
}
