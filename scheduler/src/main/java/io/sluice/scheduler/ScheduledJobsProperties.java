package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How jobs accepted with a future {@code scheduled_at} are released ({@code sluice.scheduled-jobs.*}).
 *
 * @param enabled   release them from this process (every node may: rows are taken with SKIP LOCKED)
 * @param interval  the longest wait between looks for due jobs (sooner when the earliest is due sooner):
 *                  the most a job scheduled less than this ahead is released after its time
 * @param batchSize jobs released per transaction (a transaction of 5,000 takes ~0.1 s, with their rows
 *                  locked; 1,000 cost more round trips for the same work)
 * @param threads   transactions releasing at once while a backlog lasts, each on its own pooled
 *                  connection and range of the due jobs ({@code JobStore.splitDue}); each is bound
 *                  by one PostgreSQL backend's CPU, and on a busy machine more of them take a
 *                  larger share of it while the relays work on what is released
 */
@ConfigurationProperties("sluice.scheduled-jobs")
public record ScheduledJobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration interval,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("6") int threads) {
}
