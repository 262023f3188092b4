package io.sluice.worker;

import io.sluice.core.delivery.AttemptOutcome;

/**
 * How many deliveries one endpoint gets in flight, adapted like TCP's congestion window:
 * it starts small, doubles per round of successes (slow start) until the first sign of
 * overload, then grows by one per round (additive increase) and shrinks by a factor on
 * overload (multiplicative decrease). A receiver is never overrun, and a fast one soon gets
 * the endpoint's whole bound.
 *
 * <p>Overload is a 429 or a timeout (the limit halves at once, at most once per round:
 * failures of deliveries started before the last shrink were sent under the old limit and
 * say nothing new), or a round whose answers were mostly 5xx (it shrinks by a quarter). A
 * few 5xx among successes are a receiver's errors, not its load, and leave the limit alone,
 * as do 4xx and refused connections (the circuit breaker's business). A round is as many
 * answers as the limit. Not thread-safe: the caller guards it.
 */
final class AdaptiveLimit {

    static final int INITIAL = 4;
    private static final double HALVE = 0.5;
    private static final double EASE = 0.75;

    private double limit = INITIAL;
    private double slowStartUntil = Double.MAX_VALUE;
    private long lastShrinkNanos = Long.MIN_VALUE;
    private int roundAnswers;
    private int roundServerErrors;

    /** @param bound the endpoint's {@code max_concurrency} (or the worker's default) */
    int current(int bound) {
        return (int) Math.max(1, Math.min(bound, limit));
    }

    /**
     * How many deliveries the endpoint is expected to take at once while a queue drains: the
     * bound while still in slow start (the limit is only finding its level), else the limit.
     */
    int expected(int bound) {
        return slowStartUntil == Double.MAX_VALUE ? bound : current(bound);
    }

    /**
     * @param startedNanos when the finished delivery started
     * @param nowNanos     now, on the same clock
     */
    void onFinished(AttemptOutcome outcome, int bound, long startedNanos, long nowNanos) {
        if (outcome instanceof AttemptOutcome.Failed failed && !failed.permanent()) {
            if ("timeout".equals(failed.errorClass()) || Integer.valueOf(429).equals(failed.statusCode())) {
                if (startedNanos >= lastShrinkNanos) {
                    shrink(HALVE, bound, nowNanos);
                }
                return;
            }
            if (failed.statusCode() != null && failed.statusCode() >= 500) {
                roundServerErrors++;
            }
        } else if (outcome instanceof AttemptOutcome.Delivered) {
            limit = Math.min(bound, limit < slowStartUntil ? limit + 1 : limit + 1 / limit);
        }
        if (++roundAnswers >= current(bound)) {
            if (roundServerErrors * 2 > roundAnswers) {
                shrink(EASE, bound, nowNanos);
            }
            roundAnswers = 0;
            roundServerErrors = 0;
        }
    }

    private void shrink(double factor, int bound, long nowNanos) {
        limit = Math.max(1, Math.min(limit, bound) * factor);
        slowStartUntil = limit;
        lastShrinkNanos = nowNanos;
        roundAnswers = 0;
        roundServerErrors = 0;
    }
}
