package io.sluice.core.work;

import io.sluice.core.kafka.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A job waiting for an external worker, as the work topic carries it: only what is needed to
 * hand it out in order. The job itself (payload, retries, lease) is read and leased from
 * PostgreSQL when a worker claims it.
 *
 * @param notBefore not handed out before this (a retry's delay); null: at once
 */
public record WorkItem(UUID jobId, UUID organizationId, String queueName, int priority, Instant notBefore) {

    private static final String VERSION = "1";

    /** {@code 1|job|organization|priority|notBefore millis or -|queue}: queue names hold no '|'. */
    public byte[] encode() {
        return String.join("|", VERSION, jobId.toString(), organizationId.toString(), Integer.toString(priority),
                notBefore == null ? "-" : Long.toString(notBefore.toEpochMilli()), queueName)
                .getBytes(StandardCharsets.UTF_8);
    }

    public static WorkItem decode(byte[] value) {
        try {
            String[] parts = new String(value, StandardCharsets.UTF_8).split("\\|", 6);
            if (parts.length != 6 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("not a version " + VERSION + " work item");
            }
            return new WorkItem(UUID.fromString(parts[1]), UUID.fromString(parts[2]), parts[5],
                    Integer.parseInt(parts[3]), "-".equals(parts[4]) ? null : Instant.ofEpochMilli(Long.parseLong(parts[4])));
        } catch (RuntimeException e) {
            throw new MalformedRecordException("unreadable work item", e);
        }
    }
}
