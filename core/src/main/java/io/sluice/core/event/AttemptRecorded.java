package io.sluice.core.event;

import io.sluice.core.job.JobState;
import java.time.Instant;
import java.util.UUID;

/**
 * One delivery attempt and its outcome, as the delivery worker saw it. The attempt id is
 * chosen by the worker when the attempt starts, so projecting the same event twice writes
 * one row.
 *
 * @param statusCode      HTTP status, or null when no response arrived
 * @param responseExcerpt the first bytes of the response body (see {@link #MAX_EXCERPT_CHARS})
 * @param errorClass      a short class of failure ({@code timeout}, {@code connect}, {@code http_status} ...), null on success
 * @param error           a human-readable error message, null on success
 * @param jobState        the state the job is in after this attempt: {@code COMPLETED},
 *                        {@code PENDING} (a retry is due at {@code nextAttemptAt}) or
 *                        {@code DEADLETTER} (for {@code deadLetterReason})
 * @param attempt         which attempt of the job this was, from 1 (a manual retry starts again at 1)
 * @param disablesEndpoint the receiver said it is gone (410): its endpoint is disabled
 */
public record AttemptRecorded(
        UUID attemptId,
        UUID jobId,
        UUID organizationId,
        UUID endpointId,
        Instant startedAt,
        long durationMs,
        Integer statusCode,
        String responseExcerpt,
        String errorClass,
        String error,
        JobState jobState,
        String worker,
        int attempt,
        Instant nextAttemptAt,
        String deadLetterReason,
        boolean disablesEndpoint) implements JobEvent {

    /** The webhooks spec keeps the first 16 KB of a response body. */
    public static final int MAX_EXCERPT_CHARS = 16 * 1024;

    @Override
    public String type() {
        return JobEvent.ATTEMPT_RECORDED;
    }

    public boolean delivered() {
        return jobState == JobState.COMPLETED;
    }
}
