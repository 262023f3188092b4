package io.sluice.topology.live;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What one stream wants: the events of one organization, optionally of one queue or one job,
 * optionally only some message types; and whether it ends with its job.
 *
 * @param queues the queues the caller's key reaches (null: all)
 * @param types  message types wanted, normalised by {@link #typeKey} (empty: all)
 */
public record LiveFilter(UUID organizationId, Set<String> queues, String queue, UUID jobId, Set<String> types,
                         boolean closesWithJob) {

    public LiveFilter {
        types = types == null ? Set.of()
                : types.stream().map(LiveFilter::typeKey).filter(t -> !t.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public boolean matches(LiveEvent event) {
        return organizationId.equals(event.organizationId())
                && (queues == null || queues.contains(event.queueName()))
                && (queue == null || queue.equals(event.queueName()))
                && (jobId == null || jobId.equals(event.jobId()));
    }

    public boolean wants(LiveMessage message) {
        return types.isEmpty() || types.contains(typeKey(message.type()));
    }

    /**
     * Whether this stream gets a queue's {@code QueueStats}: a stream of that queue, or of every
     * queue the key reaches; never a stream of one job.
     */
    public boolean wantsStatsOf(UUID organization, String queueName) {
        return jobId == null && organizationId.equals(organization)
                && (queue == null ? queues == null || queues.contains(queueName) : queue.equals(queueName))
                && (types.isEmpty() || types.contains(typeKey(LiveMessage.QUEUE_STATS)));
    }

    /** Whether this stream gets the node's {@code SystemHealth}: any stream but a job's. */
    public boolean wantsHealth() {
        return jobId == null && (types.isEmpty() || types.contains(typeKey(LiveMessage.SYSTEM_HEALTH)));
    }

    /**
     * {@code JobCompleted}, {@code job_completed} and {@code job.completed} name one type. Asked
     * for every message of every stream, so a loop rather than a regular expression.
     */
    static String typeKey(String type) {
        StringBuilder key = new StringBuilder(type.length());
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c >= 'a' && c <= 'z') {
                key.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                key.append((char) (c + ('a' - 'A')));
            }
        }
        return key.toString();
    }
}
