package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How leases of external workers are reaped ({@code sluice.work.reaper.*}).
 *
 * @param enabled     run the reaper in this process (every node may: rows are taken with SKIP LOCKED)
 * @param interval    how often expired leases and silent workers are looked for
 * @param silentAfter a worker not heard from this long is offline and its jobs are taken back
 * @param batchSize   lease grants (the jobs of one claim each) settled per transaction, and silent
 *                    workers marked offline per pass
 */
@ConfigurationProperties("sluice.work.reaper")
public record LeaseReaperProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration interval,
        @DefaultValue("2m") Duration silentAfter,
        @DefaultValue("50") int batchSize) {
}
