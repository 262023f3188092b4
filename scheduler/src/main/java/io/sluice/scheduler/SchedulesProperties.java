package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How cron schedules are fired ({@code sluice.schedules.*}).
 *
 * @param enabled      fire them from this process (every node may: schedules are taken with SKIP LOCKED)
 * @param interval     the longest wait between looks for due schedules (sooner when the next occurrence is):
 *                     the most a schedule created or changed meanwhile fires after its time
 * @param batchSize    schedules fired per transaction
 * @param threads      transactions firing at once while more than a batch is due (thousands of
 *                     schedules sharing a minute), each on its own pooled connection: each is
 *                     bound by one PostgreSQL backend, so several at once use more cores
 * @param misfireGrace how late an occurrence may be found and still count as on time; older ones
 *                     were missed, and the schedule's misfire policy decides
 * @param catchUpLimit the most missed occurrences a {@code catch_up} schedule fires at once
 */
@ConfigurationProperties("sluice.schedules")
public record SchedulesProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("250ms") Duration interval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("4") int threads,
        @DefaultValue("60s") Duration misfireGrace,
        @DefaultValue("100") int catchUpLimit) {
}
