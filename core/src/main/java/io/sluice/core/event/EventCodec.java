package io.sluice.core.event;

import io.sluice.core.kafka.MalformedRecordException;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * JSON form of the events on {@code sluice.events}; the type travels in {@link JobEvent#TYPE_HEADER}:
 * job events, and {@link WorkerChanged} ({@link WorkerChanged#TYPE}).
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
        return JSON.writeValueAsBytes(event);
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
            return JSON.readValue(value, kind);
        } catch (JacksonException e) {
            throw new MalformedRecordException("unreadable " + type + " event", e);
        }
    }
}
