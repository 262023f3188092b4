package io.sluice.core.event;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What an external worker did, as PostgreSQL recorded it ({@code worker_changes}), on its way to
 * the live streams. It travels on {@code sluice.events}, keyed by worker id, under the type
 * {@link #TYPE}; it is about no job, so it is no {@link JobEvent}, and readers of job events pass
 * it by.
 *
 * @param version the change's id in PostgreSQL: later changes of a worker have higher ones
 * @param status  the worker's status after the change ({@code healthy}, {@code degraded},
 *                {@code draining}, {@code offline} ...)
 */
public record WorkerChanged(long version, UUID workerId, UUID organizationId, String queueName, String hostname,
                            Kind kind, String status, int currentJobs, Instant at) {

    public static final String TYPE = "worker.change";

    public enum Kind {
        /** A new worker. */
        REGISTERED,
        /** It beat (also how a worker marked offline comes back). */
        HEARTBEAT,
        /** It went offline: deregistered, or silent for too long. */
        DEREGISTERED;

        /** @param name as {@code worker_changes.kind} spells it: {@code registered} ... */
        public static Kind fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }
}
