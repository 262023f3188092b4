package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long history is kept ({@code sluice.retention.*}).
 *
 * @param enabled      drop old history from this process
 * @param interval     how often
 * @param jobs         how long the days of completed and cancelled jobs, and of attempts, are kept
 *                     (whole UTC days: a day is dropped once all of it is older); dead-lettered jobs
 *                     and jobs still under way are kept whatever their age, with their attempts
 * @param scheduleRuns how long the runs of cron schedules (their history) are kept
 */
@ConfigurationProperties("sluice.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("30d") Duration jobs,
        @DefaultValue("7d") Duration scheduleRuns) {
}
