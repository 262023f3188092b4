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
}
