package io.sluice.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.delivery.RetryPolicy.NextStep;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final RetrySchedule schedule = RetrySchedule.parse(RetrySchedule.DEFAULT_TIERS, RetrySchedule.DEFAULT_DELAYS);
    private final RetryPolicy policy = new RetryPolicy(new SplittableRandom(7));

    @Test
    void aDeliveredAttemptCompletesTheJob() {
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(204), 1, 3, Optional.empty(), NOW))
                .isInstanceOf(NextStep.Complete.class);
    }

    @Test
    void goneDisablesTheEndpoint() {
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(410), 1, 3, Optional.empty(), NOW))
                .isInstanceOf(NextStep.DisableEndpoint.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssrf_blocked", "invalid_url", "signing"})
    void aFailureNoRetryCanCureIsDeadLetteredAtOnce(String errorClass) {
        NextStep next = policy.decide(schedule, AttemptOutcome.ofError(errorClass, "no"), 1, 10, Optional.empty(), NOW);

        assertThat(next).isInstanceOfSatisfying(NextStep.DeadLetter.class,
                dead -> assertThat(dead.reason()).startsWith(errorClass));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 404, 429, 500, 502, 503, 504})
    void otherAnswersAreRetried(int status) {
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(status), 1, 3, Optional.empty(), NOW))
                .isInstanceOf(NextStep.Retry.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout", "connect", "dns", "network"})
    void errorsWithoutAnAnswerAreRetried(String errorClass) {
        assertThat(policy.decide(schedule, AttemptOutcome.ofError(errorClass, "x"), 1, 3, Optional.empty(), NOW))
                .isInstanceOf(NextStep.Retry.class);
    }

    @Test
    void eachRetryFollowsTheScheduleWithinTenPercent() {
        Duration[] expected = {Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2)};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                NextStep next = policy.decide(schedule, AttemptOutcome.ofStatus(503), attempt, 10, Optional.empty(), NOW);
                Duration delay = expected[attempt - 1];
                assertThat(next).isInstanceOfSatisfying(NextStep.Retry.class, retry -> {
                    assertThat(retry.tier()).isEqualTo(delay);
                    assertThat(Duration.between(NOW, retry.due()).toMillis())
                            .isBetween(Math.round(delay.toMillis() * 0.9), Math.round(delay.toMillis() * 1.1));
                });
            }
        }
    }

    @Test
    void theJitterSpreadsRetries() {
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> policy.decide(schedule, AttemptOutcome.ofStatus(503), 2, 10, Optional.empty(), NOW))
                .map(next -> ((NextStep.Retry) next).due()).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }

    @Test
    void maxRetriesBoundsTheAttempts() {
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(500), 2, 2, Optional.empty(), NOW)).isInstanceOf(NextStep.Retry.class);
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(500), 3, 2, Optional.empty(), NOW))
                .isInstanceOfSatisfying(NextStep.DeadLetter.class, dead -> assertThat(dead.reason()).contains("3 attempts"));
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(500), 1, 0, Optional.empty(), NOW)).isInstanceOf(NextStep.DeadLetter.class);
    }

    @Test
    void pastTheEndOfTheScheduleItsLastDelayRepeatsUntilMaxRetries() {
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(500), 9, 100, Optional.empty(), NOW))
                .isInstanceOfSatisfying(NextStep.Retry.class, retry -> assertThat(retry.tier()).isEqualTo(Duration.ofHours(24)));
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(500), 40, 100, Optional.empty(), NOW))
                .isInstanceOfSatisfying(NextStep.Retry.class, retry -> assertThat(retry.tier()).isEqualTo(Duration.ofHours(24)));
        assertThat(policy.decide(schedule, AttemptOutcome.ofStatus(500), 101, 100, Optional.empty(), NOW)).isInstanceOf(NextStep.DeadLetter.class);
        assertThat(schedule.retries()).as("the default schedule: ten attempts").isEqualTo(9);
    }

    @Test
    void retryAfterIsAFloorCappedByTheLongestTier() {
        for (int i = 0; i < 100; i++) {
            NextStep longer = policy.decide(schedule, AttemptOutcome.ofStatus(429), 1, 3, Optional.of(Duration.ofSeconds(90)), NOW);
            assertThat(longer).isInstanceOfSatisfying(NextStep.Retry.class, retry -> {
                assertThat(retry.due()).isAfterOrEqualTo(NOW.plusSeconds(90));
                // the longest tier that is not longer than the wait: held there until due
                assertThat(retry.tier()).isEqualTo(Duration.ofSeconds(5));
            });
            NextStep shorter = policy.decide(schedule, AttemptOutcome.ofStatus(429), 1, 3, Optional.of(Duration.ofSeconds(2)), NOW);
            assertThat(shorter).isInstanceOfSatisfying(NextStep.Retry.class,
                    retry -> assertThat(retry.due()).isAfterOrEqualTo(NOW.plusSeconds(5)));
        }
        NextStep huge = policy.decide(schedule, AttemptOutcome.ofStatus(429), 1, 3, Optional.of(Duration.ofDays(30)), NOW);
        assertThat(huge).isInstanceOfSatisfying(NextStep.Retry.class, retry -> {
            assertThat(retry.tier()).isEqualTo(Duration.ofHours(24));
            assertThat(retry.due()).isBeforeOrEqualTo(NOW.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(144)));
        });
    }

    @Test
    void noRetryIsDueBeforeTheShortestWaitOfItsTierSoTheTierConsumerMayStopReadingThere() {
        for (int i = 0; i < 500; i++) {
            int attempt = 1 + i % 9;
            Optional<Duration> retryAfter = i % 3 == 0 ? Optional.of(Duration.ofSeconds(i)) : Optional.empty();
            NextStep next = policy.decide(schedule, AttemptOutcome.ofStatus(503), attempt, 9, retryAfter, NOW);
            assertThat(next).isInstanceOfSatisfying(NextStep.Retry.class, retry ->
                    assertThat(retry.due()).isAfterOrEqualTo(NOW.plus(RetryPolicy.shortestWait(retry.tier()))));
        }
    }

    @Test
    void shortTestSchedulesParse() {
        RetrySchedule quick = RetrySchedule.parse("1s,2s,3s", "1s,2s,3s");
        assertThat(quick.delayAfter(1)).contains(Duration.ofSeconds(1));
        assertThat(quick.delayAfter(3)).contains(Duration.ofSeconds(3));
        assertThat(quick.delayAfter(4)).as("past the end the last delay repeats").contains(Duration.ofSeconds(3));
        assertThat(RetrySchedule.parse("1s", "").delayAfter(1)).isEmpty();
        assertThat(RetrySchedule.parse("500ms, 1d", "1d").tiers()).containsExactly(Duration.ofMillis(500), Duration.ofDays(1));
    }

    @Test
    void aDelayThatIsNoTierOrAMalformedDurationIsRefused() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,5m", "5s,7s")).hasMessageContaining("not one of the tiers");
        assertThatThrownBy(() -> RetrySchedule.parse("5x", "5x")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> RetrySchedule.parse("s", "")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> RetrySchedule.parse("", "")).hasMessageContaining("at least one");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Wed, 31 Dec 2025 23:00:00 GMT", NOW)).as("in the past").isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isEmpty();
    }
}
