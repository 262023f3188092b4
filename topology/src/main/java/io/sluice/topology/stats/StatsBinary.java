package io.sluice.topology.stats;

import io.sluice.core.job.JobState;
import io.sluice.core.stats.StateCounts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The binary forms of the topology's own records (state stores and the repartition topic). A
 * job's standing is read and written on every change it sees, so these are compact and cheap
 * where JSON cost the topology a third of its time. Each starts with a format byte, so a later
 * form can be told apart.
 */
final class StatsBinary {

    private static final byte FORMAT = 1;

    private StatsBinary() {
    }

    static Serde<JobStanding> standings() {
        return serde(StatsBinary::writeStanding, StatsBinary::readStanding);
    }

    static Serde<ScopeDelta> deltas() {
        return serde(StatsBinary::writeDelta, StatsBinary::readDelta);
    }

    static Serde<ScopeTally> tallies() {
        return serde(StatsBinary::writeTally, StatsBinary::readTally);
    }

    private static void writeStanding(JobStanding standing, DataOutputStream out) throws IOException {
        out.writeLong(standing.version());
        out.writeLong(standing.organizationId().getMostSignificantBits());
        out.writeLong(standing.organizationId().getLeastSignificantBits());
        out.writeUTF(standing.queueName());
        out.writeByte(standing.state() == null ? -1 : standing.state().ordinal());
        writeInstant(standing.at(), out);
    }

    private static JobStanding readStanding(DataInputStream in) throws IOException {
        long version = in.readLong();
        UUID organization = new UUID(in.readLong(), in.readLong());
        String queue = in.readUTF();
        byte state = in.readByte();
        return new JobStanding(version, organization, queue, state < 0 ? null : JobState.values()[state],
                readInstant(in));
    }

    private static void writeDelta(ScopeDelta delta, DataOutputStream out) throws IOException {
        writeCounts(delta.change, out);
        writeInstant(delta.asOf, out);
        writeFlows(delta.flows, out);
        writeLongs(delta.pendingSince, out);
    }

    private static ScopeDelta readDelta(DataInputStream in) throws IOException {
        ScopeDelta delta = new ScopeDelta();
        delta.change = readCounts(in);
        delta.asOf = readInstant(in);
        readFlows(delta.flows, in);
        readLongs(delta.pendingSince, in);
        return delta;
    }

    private static void writeTally(ScopeTally tally, DataOutputStream out) throws IOException {
        writeCounts(tally.counts, out);
        writeInstant(tally.asOf, out);
        writeFlows(tally.seconds, out);
        writeFlows(tally.minutes, out);
        writeLongs(tally.pendingSince, out);
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

    private static void writeCounts(StateCounts counts, DataOutputStream out) throws IOException {
        out.writeLong(counts.scheduled());
        out.writeLong(counts.pending());
        out.writeLong(counts.processing());
        out.writeLong(counts.completed());
        out.writeLong(counts.failed());
        out.writeLong(counts.deadletter());
        out.writeLong(counts.cancelled());
    }

    private static StateCounts readCounts(DataInputStream in) throws IOException {
        return new StateCounts(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong());
    }

    private static void writeFlows(Map<Long, Flow> flows, DataOutputStream out) throws IOException {
        out.writeInt(flows.size());
        for (Map.Entry<Long, Flow> entry : flows.entrySet()) {
            Flow flow = entry.getValue();
            out.writeLong(entry.getKey());
            out.writeLong(flow.delivered);
            out.writeLong(flow.failed);
            out.writeLong(flow.deadLettered);
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

    private static void writeBuckets(Map<Integer, Long> buckets, DataOutputStream out) throws IOException {
        out.writeInt(buckets.size());
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            out.writeInt(bucket.getKey());
            out.writeLong(bucket.getValue());
        }
    }

    private static void writeLongs(Map<Long, Long> values, DataOutputStream out) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<Long, Long> entry : values.entrySet()) {
            out.writeLong(entry.getKey());
            out.writeLong(entry.getValue());
        }
    }

    private static void readLongs(Map<Long, Long> values, DataInputStream in) throws IOException {
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            values.put(in.readLong(), in.readLong());
        }
    }

    private static void writeInstant(Instant instant, DataOutputStream out) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                writer.write(value, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, bytes) -> {
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
