package io.sluice.core.stats;

import io.sluice.core.kafka.MalformedRecordException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON form of the lines on {@code sluice.stats} and {@code sluice.circuits}. */
public final class StatsCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private StatsCodec() {
    }

    public static byte[] encode(ScopeStats stats) {
        return JSON.writeValueAsBytes(stats);
    }

    public static ScopeStats decode(byte[] value) {
        try {
            return JSON.readValue(value, ScopeStats.class);
        } catch (JacksonException e) {
            throw new MalformedRecordException("unreadable stats line", e);
        }
    }

    public static byte[] encode(CircuitLine line) {
        return JSON.writeValueAsBytes(line);
    }

    public static CircuitLine decodeCircuit(byte[] value) {
        try {
            return JSON.readValue(value, CircuitLine.class);
        } catch (JacksonException e) {
            throw new MalformedRecordException("unreadable circuit line", e);
        }
    }
}
