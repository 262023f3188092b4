package io.sluice.store;

import java.time.Instant;
import java.util.UUID;

/** One delivery attempt as stored; {@code number} counts from 1 in start order. */
public record AttemptRecord(
        UUID id, int number, UUID endpointId, Instant startedAt, long durationMs,
        Integer statusCode, String responseExcerpt, String errorClass, String error, String worker) {
}
