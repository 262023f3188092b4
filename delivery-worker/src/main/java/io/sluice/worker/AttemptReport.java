package io.sluice.worker;

import io.sluice.core.delivery.AttemptOutcome;
import io.sluice.core.delivery.AttemptSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the dispatcher saw of one attempt, before anything is decided about the job.
 *
 * @param attemptId  chosen when the attempt started, so its event is projected once
 * @param excerpt    the start of the response body, or null
 * @param retryAfter the receiver's {@code Retry-After}, if it sent one
 */
record AttemptReport(UUID attemptId, int attempt, Instant startedAt, long durationMs, AttemptOutcome outcome,
                     String excerpt, Optional<Duration> retryAfter, String worker) {

    Integer statusCode() {
        return switch (outcome) {
            case AttemptOutcome.Delivered delivered -> delivered.statusCode();
            case AttemptOutcome.Failed failed -> failed.statusCode();
        };
    }

    String errorClass() {
        return outcome instanceof AttemptOutcome.Failed failed ? failed.errorClass() : null;
    }

    String error() {
        return outcome instanceof AttemptOutcome.Failed failed ? failed.message() : null;
    }

    AttemptSummary summary() {
        return new AttemptSummary(attempt, startedAt, durationMs, statusCode(), errorClass(), error());
    }
}
