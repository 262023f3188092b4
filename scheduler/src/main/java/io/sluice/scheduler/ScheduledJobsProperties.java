package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How jobs accepted with a future {@code scheduled_at} are released ({@code sluice.scheduled-jobs.*}).
 *
 * @param enabled   release them from this process (every node may: rows are taken with SKIP LOCKED)
 * @param interval  how often due jobs are looked for: the most a job starts after its time, besides relay and delivery
 * @param batchSize jobs released per transaction (5,000 released 100,000 jobs due at once in 4.4 s where
 *                  1,000 took 5.6 s; the rows stay locked for the transaction, ~0.1 s)
 * @param threads   transactions releasing at once while a backlog lasts (each is bound by one
 *                  PostgreSQL backend's CPU)
 */
@ConfigurationProperties("sluice.scheduled-jobs")
public record ScheduledJobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration interval,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("2") int threads) {
}
