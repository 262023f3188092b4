package io.sluice.core.delivery;

import java.time.Instant;

/**
 * One earlier attempt, as a delivery record carries it to its next attempt and finally to
 * the dead-letter topic: enough to see why a job failed without asking PostgreSQL.
 *
 * @param attempt    which attempt, from 1
 * @param statusCode HTTP status, or null when no answer came
 * @param error      the attempt's error, shortened to {@link #MAX_ERROR_CHARS}
 */
public record AttemptSummary(int attempt, Instant startedAt, long durationMs, Integer statusCode,
                             String errorClass, String error) {

    /** Summaries travel in a record header on every retry: keep each one small. */
    public static final int MAX_ERROR_CHARS = 300;

    public AttemptSummary {
        if (error != null && error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS);
        }
    }
}
