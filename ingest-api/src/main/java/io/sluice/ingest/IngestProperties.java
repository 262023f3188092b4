package io.sluice.ingest;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ingest API ({@code sluice.ingest.*}).
 *
 * @param maxPayloadBytes        largest job payload accepted (the Spooled contract: 1 MiB)
 * @param maxBulkJobs            most jobs in one bulk request (Spooled clients send at most 100)
 * @param idempotencyTtl         how long an idempotency key answers with its job
 * @param defaultEndpointTimeout total HTTP timeout of an endpoint created without one
 * @param secretRotationGrace    how long a rotated-out signing key keeps signing when the
 *                               rotation names no grace period: receivers switch keys within it
 * @param groupCommit            how concurrent requests share database commits
 * @param grpcStreamWindow       items of one gRPC ingest stream read ahead of their results:
 *                               enough to fill several group commits, few enough to bound memory
 */
@ConfigurationProperties("sluice.ingest")
public record IngestProperties(
        @DefaultValue("1048576") int maxPayloadBytes,
        @DefaultValue("1000") int maxBulkJobs,
        @DefaultValue("24h") Duration idempotencyTtl,
        @DefaultValue("15s") Duration defaultEndpointTimeout,
        @DefaultValue("24h") Duration secretRotationGrace,
        @DefaultValue GroupCommit groupCommit,
        @DefaultValue("2000") int grpcStreamWindow) {

    /**
     * @param writers       threads committing batches; two keep one batch filling while another fsyncs
     * @param maxBatchJobs  jobs per commit; beyond ~1,000 a commit gains little and holds locks longer
     * @param queueCapacity requests waiting for a writer before new ones are refused with 503
     * @param commitTimeout how long a request waits for its commit before answering 503
     */
    public record GroupCommit(
            @DefaultValue("2") int writers,
            @DefaultValue("1000") int maxBatchJobs,
            @DefaultValue("10000") int queueCapacity,
            @DefaultValue("30s") Duration commitTimeout) {
    }
}
