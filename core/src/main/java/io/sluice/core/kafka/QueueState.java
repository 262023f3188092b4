package io.sluice.core.kafka;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Whether a queue is paused, and how fast its jobs may start, as the compacted {@code
 * sluice.queues} topic carries it to every delivery worker, keyed by organization and queue. A
 * newer version replaces an older one.
 *
 * @param ratePerSecond jobs of the queue started per second, at most, on each node; null: no limit
 */
public record QueueState(UUID organizationId, String queueName, long version, boolean paused, Integer ratePerSecond) {

    private static final String VERSION = "1";

    /** {@code organization/queue}: queue names hold no '/'. */
    public String key() {
        return key(organizationId, queueName);
    }

    public static String key(UUID organizationId, String queueName) {
        return organizationId + "/" + queueName;
    }

    /** {@code 1|version|paused or active|rate or -}. */
    public byte[] encode() {
        return String.join("|", VERSION, Long.toString(version), paused ? "paused" : "active",
                ratePerSecond == null ? "-" : ratePerSecond.toString()).getBytes(StandardCharsets.UTF_8);
    }

    public static QueueState decode(String key, byte[] value) {
        try {
            int slash = key.indexOf('/');
            String[] parts = new String(value, StandardCharsets.UTF_8).split("\\|");
            if (slash < 0 || parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("not a version " + VERSION + " queue state");
            }
            return new QueueState(UUID.fromString(key.substring(0, slash)), key.substring(slash + 1),
                    Long.parseLong(parts[1]), "paused".equals(parts[2]), "-".equals(parts[3]) ? null : Integer.valueOf(parts[3]));
        } catch (RuntimeException e) {
            throw new MalformedRecordException("unreadable queue state", e);
        }
    }
}
