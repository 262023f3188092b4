package io.sluice.topology.stats;

import io.sluice.core.stats.StateCounts;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The binary forms of the topology's own records (state stores and the repartition topic). A
 * scope's sums are read and written for every change set, so these are compact and cheap where
 * JSON cost the topology a third of its time. Each starts with a format byte, so a later
 * form can be told apart. They are written into a buffer of their exact size (a
 * DataOutputStream over a growing array was a sixth of the stats thread's time, a scope's
 * sums being written at every change) and read with a DataInputStream: one layout.
 */
final class StatsBinary {

    private static final byte FORMAT = 1;
    /** Bytes of an instant (seconds, nanoseconds) and of a scope's counts (one long per state). */
    private static final int INSTANT = 8 + 4;
    private static final int COUNTS = 7 * 8;

    private StatsBinary() {
    }

    static Serde<ScopeDelta> deltas() {
        return serde(StatsBinary::writeDelta, StatsBinary::readDelta);
    }

    static Serde<ScopeTally> tallies() {
        return serde(StatsBinary::writeTally, StatsBinary::readTally);
    }

    private static byte[] writeDelta(ScopeDelta delta) {
        ByteBuffer out = start(COUNTS + INSTANT + flowsSize(delta.flows) + longsSize(delta.pendingSince));
        writeCounts(delta.change, out);
        writeInstant(delta.asOf, out);
        writeFlows(delta.flows, out);
        writeLongs(delta.pendingSince, out);
        return finish(out);
    }

    private static ScopeDelta readDelta(DataInputStream in) throws IOException {
        ScopeDelta delta = new ScopeDelta();
        delta.change = readCounts(in);
        delta.asOf = readInstant(in);
        readFlows(delta.flows, in);
        readLongs(delta.pendingSince, in);
        return delta;
    }

    private static byte[] writeTally(ScopeTally tally) {
        ByteBuffer out = start(COUNTS + INSTANT + flowsSize(tally.seconds) + flowsSize(tally.minutes)
                + longsSize(tally.pendingSince));
        writeCounts(tally.counts, out);
        writeInstant(tally.asOf, out);
        writeFlows(tally.seconds, out);
        writeFlows(tally.minutes, out);
        writeLongs(tally.pendingSince, out);
        return finish(out);
    }

    private static ScopeTally readTally(DataInputStream in) throws IOException {
        ScopeTally tally = new ScopeTally();
        tally.counts = readCounts(in);
        tally.asOf = readInstant(in);
        readFlows(tally.seconds, in);
        readFlows(tally.minutes, in);
        readLongs(tally.pendingSince, in);
        return tally;
    }

    private static void writeCounts(StateCounts counts, ByteBuffer out) {
        out.putLong(counts.scheduled());
        out.putLong(counts.pending());
        out.putLong(counts.processing());
        out.putLong(counts.completed());
        out.putLong(counts.failed());
        out.putLong(counts.deadletter());
        out.putLong(counts.cancelled());
    }

    private static StateCounts readCounts(DataInputStream in) throws IOException {
        return new StateCounts(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong());
    }

    private static int flowsSize(Map<Long, Flow> flows) {
        int size = 4;
        for (Flow flow : flows.values()) {
            // its second, three outcome counts, then the latency buckets (index, count) with their number
            size += 8 + 3 * 8 + 4 + flow.latency.buckets().size() * (4 + 8);
        }
        return size;
    }

    private static void writeFlows(Map<Long, Flow> flows, ByteBuffer out) {
        out.putInt(flows.size());
        for (Map.Entry<Long, Flow> entry : flows.entrySet()) {
            Flow flow = entry.getValue();
            out.putLong(entry.getKey());
            out.putLong(flow.delivered);
            out.putLong(flow.failed);
            out.putLong(flow.deadLettered);
            writeBuckets(flow.latency.buckets(), out);
        }
    }

    private static void readFlows(Map<Long, Flow> flows, DataInputStream in) throws IOException {
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            long second = in.readLong();
            Flow flow = new Flow();
            flow.delivered = in.readLong();
            flow.failed = in.readLong();
            flow.deadLettered = in.readLong();
            int buckets = in.readInt();
            for (int b = 0; b < buckets; b++) {
                flow.latency.add(in.readInt(), in.readLong());
            }
            flows.put(second, flow);
        }
    }

    private static void writeBuckets(Map<Integer, Long> buckets, ByteBuffer out) {
        out.putInt(buckets.size());
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            out.putInt(bucket.getKey());
            out.putLong(bucket.getValue());
        }
    }

    private static int longsSize(Map<Long, Long> values) {
        return 4 + values.size() * 16;
    }

    private static void writeLongs(Map<Long, Long> values, ByteBuffer out) {
        out.putInt(values.size());
        for (Map.Entry<Long, Long> entry : values.entrySet()) {
            out.putLong(entry.getKey());
            out.putLong(entry.getValue());
        }
    }

    private static void readLongs(Map<Long, Long> values, DataInputStream in) throws IOException {
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            values.put(in.readLong(), in.readLong());
        }
    }

    private static void writeInstant(Instant instant, ByteBuffer out) {
        out.putLong(instant.getEpochSecond());
        out.putInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    /** A buffer of exactly the record's size, its format byte written. */
    private static ByteBuffer start(int size) {
        return ByteBuffer.allocate(1 + size).put(FORMAT);
    }

    private static byte[] finish(ByteBuffer out) {
        if (out.hasRemaining()) {
            throw new IllegalStateException("a stats record left " + out.remaining() + " of its bytes unwritten");
        }
        return out.array();
    }

    private interface Writer<T> {
        byte[] write(T value);
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : writer.write(value), (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
                if (in.readByte() != FORMAT) {
                    throw new IllegalStateException("a stats record of an unknown format: " + bytes[0]);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
