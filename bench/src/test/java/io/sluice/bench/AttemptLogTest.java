package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.sluice.core.delivery.RetrySchedule;
import org.junit.jupiter.api.Test;

class AttemptLogTest {

    private static final long MS = 1_000_000L;
    private static final RetrySchedule SCHEDULE = RetrySchedule.parse("1s,2s,5s", "1s,2s,5s");

    /** A job whose first {@code failures} attempts the answers refuse, and the next accept. */
    private static long seqFailing(FlakyAnswers answers, int failures) {
        for (long seq = 0; ; seq++) {
            if (answers.failuresBeforeSuccess(seq, failures + 1) == failures) {
                return seq;
            }
        }
    }

    @Test
    void answersAsTheSeedSaysAndMeasuresGapsAgainstTheSchedule() {
        // given: a job refused twice, then accepted
        FlakyAnswers answers = new FlakyAnswers(30, 1);
        long seq = seqFailing(answers, 2);
        AttemptLog log = new AttemptLog(answers);

        // when: retries 1,050 ms and 2,300 ms after the refused attempts
        int first = log.record("msg_a", seq, 0);
        int second = log.record("msg_a", seq, 1_050 * MS);
        int third = log.record("msg_a", seq, 3_350 * MS);

        // then
        assertThat(first).isEqualTo(503);
        assertThat(second).isEqualTo(503);
        assertThat(third).isEqualTo(204);
        AttemptLog.Summary summary = log.summarize(SCHEDULE);
        assertThat(summary.jobs()).isEqualTo(1);
        assertThat(summary.attempts()).isEqualTo(3);
        assertThat(summary.refused()).isEqualTo(2);
        assertThat(summary.delivered()).isEqualTo(1);
        assertThat(summary.duplicateSuccesses()).isZero();
        assertThat(summary.afterSuccess()).isZero();
        assertThat(summary.gaps()).hasSize(2);
        AttemptLog.TierGaps oneSecond = summary.gaps().get(0);
        assertThat(oneSecond.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(oneSecond.gaps()).isEqualTo(1);
        assertThat(oneSecond.p50Millis()).isEqualTo(50.0);
        AttemptLog.TierGaps twoSeconds = summary.gaps().get(1);
        assertThat(twoSeconds.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(twoSeconds.p99Millis()).isEqualTo(300.0);
        assertThat(twoSeconds.early()).isZero();
        assertThat(twoSeconds.surelyLateOverOneSecond()).isZero();
    }

    @Test
    void countsEarlyAndSurelyLateRetries() {
        // given: two jobs refused once
        FlakyAnswers answers = new FlakyAnswers(30, 1);
        long a = seqFailing(answers, 1);
        long b = nextFailingOnce(answers, a);
        AttemptLog log = new AttemptLog(answers);

        // when: one retried after 850 ms (before 90 % of 1 s), one after 2,150 ms (over 110 % + 1 s)
        log.record("msg_a", a, 0);
        log.record("msg_a", a, 850 * MS);
        log.record("msg_b", b, 0);
        log.record("msg_b", b, 2_150 * MS);

        // then
        AttemptLog.TierGaps gaps = log.summarize(SCHEDULE).gaps().getFirst();
        assertThat(gaps.gaps()).isEqualTo(2);
        assertThat(gaps.early()).isEqualTo(1);
        assertThat(gaps.surelyLateOverOneSecond()).isEqualTo(1);
        assertThat(gaps.maxMillis()).isEqualTo(1_150.0);
    }

    @Test
    void countsASecondSuccessAsADuplicateAndNotAsAScheduledRetry() {
        // given: a job accepted at once
        FlakyAnswers answers = new FlakyAnswers(30, 1);
        long seq = seqFailing(answers, 0);
        AttemptLog log = new AttemptLog(answers);

        // when: it is delivered again, and the receiver happens to accept that attempt too
        log.record("msg_a", seq, 0);
        log.record("msg_a", seq, 10 * MS);

        // then
        AttemptLog.Summary summary = log.summarize(SCHEDULE);
        assertThat(summary.afterSuccess()).isEqualTo(1);
        assertThat(summary.duplicateSuccesses()).isEqualTo(answers.fails(seq, 2) ? 0 : 1);
        assertThat(summary.gaps()).as("a redelivery waited no schedule").isEmpty();
    }

    private static long nextFailingOnce(FlakyAnswers answers, long after) {
        for (long seq = after + 1; ; seq++) {
            if (answers.failuresBeforeSuccess(seq, 2) == 1) {
                return seq;
            }
        }
    }
}
