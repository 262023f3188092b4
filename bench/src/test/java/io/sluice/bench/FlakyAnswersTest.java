package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import io.sluice.core.delivery.RetrySchedule;
import org.junit.jupiter.api.Test;

class FlakyAnswersTest {

    @Test
    void refusesAboutTheGivenShareOfAttempts() {
        FlakyAnswers answers = new FlakyAnswers(30, 1);
        int refused = 0;
        int attempts = 0;
        for (long seq = 0; seq < 20_000; seq++) {
            for (int attempt = 1; attempt <= 5; attempt++) {
                attempts++;
                if (answers.status(seq, attempt) == 503) {
                    refused++;
                }
            }
        }
        assertThat(refused / (double) attempts).isCloseTo(0.30, within(0.01));
    }

    @Test
    void givesTheSameAnswersForTheSameSeedWhateverTheOrder() {
        FlakyAnswers one = new FlakyAnswers(30, 42);
        FlakyAnswers again = new FlakyAnswers(30, 42);
        FlakyAnswers otherSeed = new FlakyAnswers(30, 43);
        int differ = 0;
        for (long seq = 999; seq >= 0; seq--) {
            assertThat(again.fails(seq, 2)).isEqualTo(one.fails(seq, 2));
            if (otherSeed.fails(seq, 2) != one.fails(seq, 2)) {
                differ++;
            }
        }
        assertThat(differ).as("another seed refuses other attempts").isGreaterThan(200);
    }

    @Test
    void decidesEachAttemptOfAJobAfresh() {
        FlakyAnswers answers = new FlakyAnswers(50, 7);
        long refusedSecondAfterRefusedFirst = 0;
        long refusedFirst = 0;
        for (long seq = 0; seq < 10_000; seq++) {
            if (answers.fails(seq, 1)) {
                refusedFirst++;
                if (answers.fails(seq, 2)) {
                    refusedSecondAfterRefusedFirst++;
                }
            }
        }
        assertThat(refusedSecondAfterRefusedFirst / (double) refusedFirst).isCloseTo(0.5, within(0.03));
    }

    @Test
    void zeroPercentAcceptsEverythingAndHundredIsRefused() {
        FlakyAnswers never = new FlakyAnswers(0, 1);
        for (long seq = 0; seq < 1000; seq++) {
            assertThat(never.status(seq, 1)).isEqualTo(204);
        }
        assertThatThrownBy(() -> new FlakyAnswers(100, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsFailuresBeforeTheFirstSuccessUpToALimit() {
        FlakyAnswers answers = new FlakyAnswers(90, 3);
        for (long seq = 0; seq < 200; seq++) {
            int failures = answers.failuresBeforeSuccess(seq, 4);
            assertThat(failures).isBetween(0, 4);
            for (int attempt = 1; attempt <= failures; attempt++) {
                assertThat(answers.fails(seq, attempt)).isTrue();
            }
            if (failures < 4) {
                assertThat(answers.fails(seq, failures + 1)).isFalse();
            }
        }
    }

    @Test
    void planAddsUpTheSeededAnswers() {
        // given
        FlakyAnswers answers = new FlakyAnswers(30, 1);
        RetrySchedule schedule = RetrySchedule.parse("1s,2s,5s", "1s,2s,5s");

        // when
        FlakyPlan plan = FlakyPlan.of(answers, 2_000, 10, schedule);

        // then
        long refusals = 0;
        int worst = 0;
        for (int seq = 0; seq < 2_000; seq++) {
            int failures = answers.failuresBeforeSuccess(seq, 11);
            refusals += failures;
            worst = Math.max(worst, failures);
        }
        assertThat(plan.refusals()).isEqualTo(refusals);
        assertThat(plan.attempts()).isEqualTo(refusals + 2_000);
        assertThat(plan.exhausted()).isZero();
        assertThat(plan.worstFailures()).isEqualTo(worst).isGreaterThanOrEqualTo(4);
        Duration expected = Duration.ofSeconds(1 + 2 + 5L * (worst - 2));
        assertThat(plan.worstScheduledWait()).isEqualTo(expected);
    }

    @Test
    void planCountsJobsThatRunOutOfRetries() {
        FlakyPlan plan = FlakyPlan.of(new FlakyAnswers(99, 1), 100, 0, RetrySchedule.parse("1s", "1s"));
        assertThat(plan.exhausted()).isGreaterThan(90);
        assertThat(plan.attempts()).as("one attempt each with no retries").isEqualTo(100);
    }
}
