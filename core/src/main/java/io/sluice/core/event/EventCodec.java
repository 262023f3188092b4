package io.sluice.core.event;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.core.kafka.MalformedRecordException;
import java.io.IOException;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * The form of the events on {@code sluice.events}; the type travels in {@link JobEvent#TYPE_HEADER}.
 * Those written for every job change and every delivery attempt ({@link JobChangeSet},
 * {@link JobStateChanged}, {@link AttemptRecorded}) are protobuf ({@link BinaryEvents}); the rarer ones, and
 * {@link WorkerChanged} ({@link WorkerChanged#TYPE}), are JSON. Records of those two written as
 * JSON by earlier releases are still read.
 */
public final class EventCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            // Readers must survive fields added by newer writers.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // ... and fields older writers did not have (a number absent reads as 0).
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Reads and writes fields through generated lambdas instead of reflection: every
            // event is encoded once and decoded by several readers.
            .addModule(new BlackbirdModule())
            .addModule(new SimpleModule("utc-instants").addDeserializer(Instant.class, new UtcInstants.Reader()))
            .build();

    private EventCodec() {
    }

    public static byte[] encode(JobEvent event) {
        try {
            return switch (event) {
                case JobStateChanged change -> BinaryEvents.encode(change);
                case AttemptRecorded attempt -> BinaryEvents.encode(attempt);
                default -> JSON.writeValueAsBytes(event);
            };
        } catch (ArithmeticException e) {
            // An instant past what nanoseconds since 1970 hold (the year 2262): readers take JSON
            // as well, and a record the relay cannot write would hold up every change behind it.
            return JSON.writeValueAsBytes(event);
        }
    }

    public static byte[] encode(JobChangeSet set) {
        try {
            return BinaryEvents.encode(set);
        } catch (ArithmeticException e) {
            return JSON.writeValueAsBytes(set); // as for a single change, see above
        }
    }

    public static JobChangeSet decodeChangeSet(byte[] value) {
        try {
            return isJson(value) ? JSON.readValue(value, JobChangeSet.class) : BinaryEvents.decodeChangeSet(value);
        } catch (JacksonException | InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new MalformedRecordException("unreadable " + JobChangeSet.TYPE + " event", e);
        }
    }

    /** How many changes an encoded set holds, read without decoding them; 0 for an unreadable one. */
    public static int changeSetSize(byte[] value) {
        try {
            return isJson(value) ? decodeChangeSet(value).changes().size() : BinaryEvents.changeSetSize(value);
        } catch (MalformedRecordException | IOException e) {
            return 0;
        }
    }

    public static byte[] encode(WorkerChanged change) {
        return JSON.writeValueAsBytes(change);
    }

    public static WorkerChanged decodeWorkerChange(byte[] value) {
        try {
            return JSON.readValue(value, WorkerChanged.class);
        } catch (JacksonException e) {
            throw new MalformedRecordException("unreadable " + WorkerChanged.TYPE + " event", e);
        }
    }

    public static JobEvent decode(String type, byte[] value) {
        Class<? extends JobEvent> kind = switch (type == null ? "" : type) {
            case JobEvent.ATTEMPT_RECORDED -> AttemptRecorded.class;
            case JobEvent.DELIVERY_WITHHELD -> DeliveryWithheld.class;
            case JobEvent.DELIVERY_PARKED -> DeliveryParked.class;
            case JobEvent.JOB_STATE -> JobStateChanged.class;
            default -> throw new MalformedRecordException("unknown event type: " + type, null);
        };
        try {
            if (isJson(value)) {
                return JSON.readValue(value, kind);
            }
            if (kind == JobStateChanged.class) {
                return BinaryEvents.decodeJobStateChanged(value);
            }
            if (kind == AttemptRecorded.class) {
                return BinaryEvents.decodeAttemptRecorded(value);
            }
            throw new MalformedRecordException("a " + type + " event that is not JSON", null);
        } catch (JacksonException | InvalidProtocolBufferException | IllegalArgumentException e) {
            // IllegalArgumentException: a state this release does not know.
            throw new MalformedRecordException("unreadable " + type + " event", e);
        }
    }

    /**
     * JSON objects start with a brace; an encoded {@code events.proto} message never does (0x7B
     * would be the tag of field 15 as a start-group, a wire type protobuf 3 does not write).
     */
    private static boolean isJson(byte[] value) {
        return value.length > 0 && value[0] == '{';
    }
}
