package io.sluice.ingest.dlq;

import java.util.List;
import java.util.UUID;

/** Response bodies of the dead-letter routes. */
public final class DeadLetterViews {

    private DeadLetterViews() {
    }

    public record Retried(int retriedCount, List<UUID> retriedJobs) {
    }

    public record Purged(int purgedCount) {
    }

    /** What a topic replay did: records read, distinct jobs of the scope found, jobs sent back to pending. */
    public record Replayed(long scanned, int matched, int replayed) {
    }
}
