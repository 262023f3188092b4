package io.sluice.bench;

import java.time.Duration;

import io.sluice.core.delivery.RetrySchedule;

/**
 * What a flaky workload demands, worked out before it runs from the same {@link FlakyAnswers}
 * the receiver will give: how many attempts and 503s a system that retries exactly as scheduled
 * makes, and how long the unluckiest job must wait by the schedule alone.
 *
 * <p>Why: the time to deliver every job can be no shorter than the unluckiest job's scheduled
 * waits (less jitter), so a reader can tell time lost by Sluice from time the workload imposes;
 * and attempts or 503s beyond the plan are redeliveries.
 *
 * @param attempts            attempts if each job is tried until its first 2xx or its retries run out
 * @param refusals            of those, the ones answered 503
 * @param exhausted           jobs that fail all {@code 1 + maxRetries} attempts and so can never be
 *                            delivered (a seed that gives any makes the run's "never delivered" expected)
 * @param worstFailures       503s before the unluckiest job's first 2xx
 * @param worstScheduledWait  the sum of the scheduled delays that job waits (each drawn ±10 % by Sluice)
 */
public record FlakyPlan(long attempts, long refusals, int exhausted, int worstFailures, Duration worstScheduledWait) {

    /** The plan for jobs {@code 0..jobs-1}. */
    public static FlakyPlan of(FlakyAnswers answers, int jobs, int maxRetries, RetrySchedule schedule) {
        long attempts = 0;
        long refusals = 0;
        int exhausted = 0;
        int worst = 0;
        for (int seq = 0; seq < jobs; seq++) {
            int failures = answers.failuresBeforeSuccess(seq, maxRetries + 1);
            if (failures > maxRetries) {
                exhausted++;
                attempts += failures;
            } else {
                attempts += failures + 1;
                worst = Math.max(worst, failures);
            }
            refusals += failures;
        }
        Duration wait = Duration.ZERO;
        for (int attempt = 1; attempt <= worst; attempt++) {
            wait = wait.plus(schedule.delayAfter(attempt).orElseThrow());
        }
        return new FlakyPlan(attempts, refusals, exhausted, worst, wait);
    }
}
