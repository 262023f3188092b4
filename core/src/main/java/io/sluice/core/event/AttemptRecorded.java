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
 * @param queueName       the job's queue, for the live streams' queue filters (null on events
 *                        written before it was recorded)
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
        boolean disablesEndpoint,
        String queueName) implements JobEvent {

    /** The webhooks spec keeps the first 16 KB of a response body. */
    public static final int MAX_EXCERPT_CHARS = 16 * 1024;

    @Override
    public String type() {
        return JobEvent.ATTEMPT_RECORDED;
    }

    /** An attempt of a job whose queue does not matter to the reader. */
    public AttemptRecorded(UUID attemptId, UUID jobId, UUID organizationId, UUID endpointId, Instant startedAt,
                           long durationMs, Integer statusCode, String responseExcerpt, String errorClass, String error,
                           JobState jobState, String worker, int attempt, Instant nextAttemptAt,
                           String deadLetterReason, boolean disablesEndpoint) {
        this(attemptId, jobId, organizationId, endpointId, startedAt, durationMs, statusCode, responseExcerpt,
                errorClass, error, jobState, worker, attempt, nextAttemptAt, deadLetterReason, disablesEndpoint, null);
    }

    public boolean delivered() {
        return jobState == JobState.COMPLETED;
    }
}
