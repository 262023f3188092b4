package io.sluice.bench;

import java.util.List;

import io.sluice.core.delivery.RetrySchedule;

/**
 * Settings of {@code --scenario=flaky}.
 *
 * <p>Why {@code 1s,2s,5s} by default: the issue asks for a short test schedule and for the
 * lateness of the 5 s tier under load, so 5 s is the longest tier and the one repeated past the
 * schedule's end; 1 s and 2 s first keep a run of 10,000 jobs in the tens of seconds, the range
 * the issue compares other queues in. Ten retries: at 30 % failures a job gives up only after
 * eleven 503s in a row, 0.3^11 ≈ 2·10⁻⁶, so giving up is not a realistic outcome at 10,000 jobs.
 *
 * @param failurePercent share of attempts answered 503, decided per job and attempt from the seed
 * @param seed           makes the 503s the same in every run with the same job count
 * @param retryTiers     {@code sluice.retry.tiers} of the Sluice the bench starts
 * @param retrySchedule  {@code sluice.retry.schedule} of the Sluice the bench starts
 * @param maxRetries     {@code default_max_retries} of every bulk request
 * @param schedule       the two parsed as Sluice parses them, for the receiver-side gaps
 */
public record FlakyOptions(int failurePercent, long seed, String retryTiers, String retrySchedule, int maxRetries,
                           RetrySchedule schedule) {

    static final int DEFAULT_FAILURE_PERCENT = 30;
    static final long DEFAULT_SEED = 1;
    static final String DEFAULT_TIERS = "1s,2s,5s";
    static final String DEFAULT_SCHEDULE = "1s,2s,5s";
    static final int DEFAULT_MAX_RETRIES = 10;
    /** The API's limit for {@code max_retries}. */
    static final int MAX_RETRIES_LIMIT = 100;

    /** The Sluice properties that give it this schedule. */
    public List<String> sluiceArguments() {
        return List.of("--sluice.retry.tiers=" + retryTiers, "--sluice.retry.schedule=" + retrySchedule);
    }
}
