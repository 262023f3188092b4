package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * Which dead-lettered jobs of an organization to send back to pending: the given ones, or
 * those of one queue, or any; both filters apply when both are given. At most {@code limit}
 * jobs move, those dead the longest first.
 *
 * @param jobIds    the jobs to retry, or null for any; ids of jobs that are not dead-lettered are skipped
 * @param queueName one queue, or null for all
 */
public record DeadLetterRetry(UUID organizationId, List<UUID> jobIds, String queueName, int limit) {

    /** One transaction's worth: the API asks for at most 100, topic replay sends its ids in chunks. */
    public static final int MAX_LIMIT = 10_000;

    public DeadLetterRetry {
        if (organizationId == null || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("organization and a limit of 1 to " + MAX_LIMIT + " are required");
        }
        jobIds = jobIds == null ? null : List.copyOf(jobIds);
    }
}
