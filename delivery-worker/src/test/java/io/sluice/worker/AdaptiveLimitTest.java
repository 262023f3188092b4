package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.AttemptOutcome;
import org.junit.jupiter.api.Test;

/** The in-flight limit of one endpoint: slow start, additive increase, multiplicative decrease. */
class AdaptiveLimitTest {

    private static final int BOUND = 64;
    private static final AttemptOutcome OK = AttemptOutcome.ofStatus(204);

    private final AdaptiveLimit limit = new AdaptiveLimit();
    private long now;

    @Test
    void startsSmallAndDoublesPerRoundOfSuccesses() {
        assertThat(limit.current(BOUND)).isEqualTo(AdaptiveLimit.INITIAL);

        succeed(4);
        assertThat(limit.current(BOUND)).isEqualTo(8);
        succeed(8);
        assertThat(limit.current(BOUND)).isEqualTo(16);
    }

    @Test
    void neverExceedsTheEndpointsBound() {
        succeed(1_000);

        assertThat(limit.current(BOUND)).isEqualTo(BOUND);
        assertThat(limit.current(10)).isEqualTo(10);
    }

    @Test
    void aTooManyRequestsOrATimeoutHalvesItAndGrowthTurnsAdditive() {
        succeed(28);
        assertThat(limit.current(BOUND)).isEqualTo(32);

        fail(AttemptOutcome.ofStatus(429));
        assertThat(limit.current(BOUND)).isEqualTo(16);
        fail(AttemptOutcome.ofError("timeout", "no answer in 15 s"));
        assertThat(limit.current(BOUND)).isEqualTo(8);

        succeed(9);
        assertThat(limit.current(BOUND)).as("about one more per round of eight").isEqualTo(9);
    }

    @Test
    void aRoundOfMostlyServerErrorsShrinksItByAQuarter() {
        // a round of five answers (the limit grew to five with the first), four of them 503
        fail(AttemptOutcome.ofStatus(204));
        for (int i = 0; i < 4; i++) {
            fail(AttemptOutcome.ofStatus(503));
        }

        assertThat(limit.current(BOUND)).isEqualTo(3);
    }

    @Test
    void aFewServerErrorsAmongSuccessesLeaveItGrowing() {
        for (int i = 0; i < 40; i++) {
            fail(AttemptOutcome.ofStatus(i % 3 == 0 ? 503 : 204));
        }

        assertThat(limit.current(BOUND)).isGreaterThan(AdaptiveLimit.INITIAL + 20);
    }

    @Test
    void failuresOfDeliveriesStartedBeforeTheLastShrinkDoNotShrinkItAgain() {
        succeed(12);
        long startedEarlier = now;
        now += 10;
        fail(AttemptOutcome.ofStatus(429));
        assertThat(limit.current(BOUND)).isEqualTo(8);

        limit.onFinished(AttemptOutcome.ofStatus(429), BOUND, startedEarlier, now + 1);

        assertThat(limit.current(BOUND)).isEqualTo(8);
    }

    @Test
    void aClientErrorOrARefusedConnectionLeavesItAlone() {
        succeed(4);

        fail(AttemptOutcome.ofStatus(400));
        fail(AttemptOutcome.ofError("connect", "connection refused"));
        fail(AttemptOutcome.ofError("ssrf_blocked", "private address"));

        assertThat(limit.current(BOUND)).isEqualTo(8);
    }

    @Test
    void neverFallsBelowOne() {
        for (int i = 0; i < 20; i++) {
            fail(AttemptOutcome.ofStatus(429));
        }

        assertThat(limit.current(BOUND)).isEqualTo(1);
    }

    private void succeed(int times) {
        for (int i = 0; i < times; i++) {
            limit.onFinished(OK, BOUND, now, ++now);
        }
    }

    private void fail(AttemptOutcome outcome) {
        long started = ++now;
        limit.onFinished(outcome, BOUND, started, ++now);
    }
}
