package io.sluice.ingest.relay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the outbox relay ({@code sluice.relay.*}).
 *
 * @param threads      relay loops; two overlap one batch's database work with another's Kafka acks
 * @param batchSize    outbox rows claimed per transaction
 * @param pollInterval fallback poll when no commit woke the relay (commits by other nodes, crashes)
 * @param ackTimeout   how long a batch waits for Kafka before it is rolled back and retried
 * @param endpointPollInterval how soon an endpoint changed by another node (or disabled by the
 *                     projector) reaches the workers; changes made through this node go at once
 * @param fifoBusyInterval how often a FIFO endpoint's finished job is looked for, to send the
 *                     next: the most each FIFO delivery waits for the one before it
 * @param fifoIdleInterval the same while no FIFO job is on its way (new jobs wake the releaser)
 * @param changeBatchSize job state changes claimed per transaction by the change relay, in whole
 *                     sets (a statement's changes, up to 1,000 jobs each): more than
 *                     outbox rows, since they are small and come two or more per job (in a
 *                     trial at 2,000 jobs/s on two cores, 5,000 instead of 1,000 cut the relay's
 *                     mean lag from about 2 s to 0.6 s)
 * @param vacuumAfter  rows this node removes from the outbox (and from job_changes) between two vacuums of it (see
 *                     {@code OutboxStore.vacuum}); 0 leaves the outbox to autovacuum alone
 */
@ConfigurationProperties("sluice.relay")
public record RelayProperties(
        @DefaultValue("2") int threads,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("100ms") Duration pollInterval,
        @DefaultValue("30s") Duration ackTimeout,
        @DefaultValue("1s") Duration endpointPollInterval,
        @DefaultValue("50ms") Duration fifoBusyInterval,
        @DefaultValue("1s") Duration fifoIdleInterval,
        @DefaultValue("20000") int vacuumAfter,
        @DefaultValue("5000") int changeBatchSize) {
}
