package io.sluice.core.system;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The system events an outgoing webhook can subscribe to: the Spooled list, plus Sluice's own
 * {@code job.deadlettered} and {@code endpoint.disabled}.
 */
public enum SystemEventType {
    JOB_CREATED,
    JOB_STARTED,
    JOB_COMPLETED,
    /** An attempt failed; {@code data.will_retry} says whether another one is scheduled. */
    JOB_FAILED,
    JOB_CANCELLED,
    /** Given up: retries exhausted, or its endpoint was disabled. */
    JOB_DEADLETTERED,
    /** Disabled by Sluice (410 Gone, or sustained failure), not by its owner. */
    ENDPOINT_DISABLED,
    QUEUE_PAUSED,
    QUEUE_RESUMED,
    WORKER_REGISTERED,
    WORKER_DEREGISTERED,
    SCHEDULE_TRIGGERED,
    /** Sent only by the test route, to the one webhook tested; not subscribable. */
    WEBHOOK_TEST;

    /** How a job ended: what its completion callback reports (a dead-lettered job may still be retried). */
    public boolean isJobOutcome() {
        return this == JOB_COMPLETED || this == JOB_DEADLETTERED || this == JOB_CANCELLED;
    }

    /** {@code job.created}, {@code endpoint.disabled} ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replaceFirst("_", ".");
    }

    /** The names an outgoing webhook may subscribe to: every type but {@code webhook.test}. */
    public static List<String> subscribableNames() {
        return Arrays.stream(values()).filter(type -> type != WEBHOOK_TEST).map(SystemEventType::wireName).toList();
    }

    /** @return the subscribable type of that name; empty for any other text (including {@code webhook.test}) */
    public static Optional<SystemEventType> subscribable(String name) {
        return Arrays.stream(values()).filter(type -> type != WEBHOOK_TEST && type.wireName().equals(name)).findFirst();
    }
}
