package io.sluice.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reconciler ({@code sluice.reconciler.*}).
 *
 * @param enabled    run it in this process (several nodes may: one pass at a time takes the cursor,
 *                   watched jobs are taken with SKIP LOCKED)
 * @param interval   how often it looks
 * @param stuckAfter how long past the time a job should have moved it is taken for lost: after its
 *                   last change when no attempt is due, after its next attempt's time when one is.
 *                   Longer than any backlog the deliveries may build up, since a job behind a
 *                   backlog looks the same and would be sent twice
 * @param batchSize  jobs looked at per transaction
 * @param maxPerPass jobs looked at per pass, at most, so that a first pass over a large table does not hold a node
 */
@ConfigurationProperties("sluice.reconciler")
public record ReconcilerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10s") Duration interval,
        @DefaultValue("30m") Duration stuckAfter,
        @DefaultValue("5000") int batchSize,
        @DefaultValue("200000") int maxPerPass) {
}
