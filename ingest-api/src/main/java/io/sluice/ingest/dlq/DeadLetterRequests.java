package io.sluice.ingest.dlq;

import java.time.Instant;
import java.util.List;

/** Request bodies of the dead-letter routes (snake_case on the wire); every field may be absent. */
public final class DeadLetterRequests {

    private DeadLetterRequests() {
    }

    /**
     * {@code POST /api/v1/jobs/dlq/retry}: the given jobs, or a queue's, or any (both filters
     * apply when both are given); {@code limit} 1..100, default 100.
     */
    public record RetryDeadLetters(List<String> jobIds, String queueName, Integer limit) {
    }

    /** {@code POST /api/v1/jobs/dlq/purge}: {@code limit} 1..10000, default 1000; {@code confirm} must be true. */
    /** Recover an endpoint: retry its deliveries dead-lettered at or after {@code since}. */
    public record RecoverEndpoint(Instant since) {
    }

    public record PurgeDeadLetters(String queueName, Instant olderThan, Integer limit, Boolean confirm) {
    }

    /**
     * {@code POST /api/v1/jobs/dlq/replay} (Sluice): replays dead letters from the DLQ topic,
     * dead in {@code [from, to)}; {@code limit} 1..10000 jobs, default 1000.
     */
    public record ReplayDeadLetters(String queueName, String endpointId, Instant from, Instant to, Integer limit) {
    }
}
