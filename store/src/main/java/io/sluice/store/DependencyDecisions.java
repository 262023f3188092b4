package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import io.sluice.core.workflow.DependencyMode;
import io.sluice.core.workflow.DependencyVerdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides for the jobs waiting on dependencies, inside the transaction that ended one of those
 * dependencies: the end of a job and the release (or cancellation) of what waited for it commit
 * together, so no release is lost between two steps and none happens twice. This runs wherever a
 * job ends: the state projector's batches (driven by {@code sluice.events}), a worker's
 * completion, a cancel, an expiry.
 *
 * <p>The waiting jobs are locked (their {@code dependent_jobs} and {@code jobs} rows, in id
 * order) before their dependencies are counted. The count is a new statement, so it sees every
 * dependency ended by a transaction that committed while this one waited for the lock: two
 * dependencies ending at once in two transactions cannot both miss the other.
 */
final class DependencyDecisions {

    private DependencyDecisions() {
    }

    /**
     * The dependants of the jobs these events report ended, decided.
     *
     * @return {@code job.cancelled} events of the jobs cancelled because their dependencies can
     *         no longer be met; the caller publishes them, which decides for their own dependants
     */
    static List<SystemEvent> settleWithin(Connection connection, List<SystemEvent> events, Instant now)
            throws SQLException {
        Set<UUID> ended = new LinkedHashSet<>();
        for (SystemEvent event : events) {
            if (event.type().isJobOutcome() && event.jobId() != null) {
                ended.add(event.jobId());
            }
        }
        if (ended.isEmpty()) {
            return List.of();
        }
        Map<UUID, DependencyMode> waiting = lockWaiting(connection, """
                d.job_id IN (SELECT job_id FROM job_dependencies WHERE depends_on_job_id = ANY(?::uuid[]))""",
                ended.toArray(UUID[]::new));
        return decideWithin(connection, waiting, now);
    }

    /**
     * Locks the jobs that still wait for their dependencies among those {@code condition} selects.
     *
     * @param condition SQL on {@code dependent_jobs d} with one array parameter
     * @return the jobs locked, in id order, with how each waits
     */
    static Map<UUID, DependencyMode> lockWaiting(Connection connection, String condition, UUID[] ids)
            throws SQLException {
        Map<UUID, DependencyMode> waiting = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT d.job_id, d.dependency_mode FROM dependent_jobs d JOIN jobs j ON j.id = d.job_id
                WHERE %s AND d.dependencies = 'waiting' AND j.state = 'scheduled'
                ORDER BY d.job_id
                FOR UPDATE OF d, j""".formatted(condition))) {
            select.setArray(1, connection.createArrayOf("uuid", ids));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    waiting.put(rs.getObject(1, UUID.class),
                            DependencyMode.fromWireName(rs.getString(2)).orElseThrow());
                }
            }
        }
        return waiting;
    }

    /**
     * Decides for jobs locked by {@link #lockWaiting}: counts their dependencies' states, then
     * releases, cancels or leaves each as {@link DependencyVerdict} says.
     *
     * @return {@code job.cancelled} events of the jobs it cancelled
     */
    static List<SystemEvent> decideWithin(Connection connection, Map<UUID, DependencyMode> waiting, Instant now)
            throws SQLException {
        if (waiting.isEmpty()) {
            return List.of();
        }
        List<UUID> released = new ArrayList<>();
        Map<UUID, String> cancelled = new LinkedHashMap<>();
        try (PreparedStatement count = connection.prepareStatement("""
                SELECT d.job_id, count(*),
                       count(*) FILTER (WHERE j.state = 'completed'),
                       -- a dependency that no longer exists (its queue was deleted) will not complete either
                       count(*) FILTER (WHERE j.state IS NULL OR j.state IN ('deadletter', 'failed', 'cancelled'))
                FROM job_dependencies d LEFT JOIN jobs j ON j.id = d.depends_on_job_id
                WHERE d.job_id = ANY(?::uuid[])
                GROUP BY d.job_id""")) {
            count.setArray(1, connection.createArrayOf("uuid", waiting.keySet().toArray()));
            try (ResultSet rs = count.executeQuery()) {
                while (rs.next()) {
                    UUID job = rs.getObject(1, UUID.class);
                    switch (DependencyVerdict.of(waiting.get(job), rs.getInt(2), rs.getInt(3), rs.getInt(4))) {
                        case DependencyVerdict.Release release -> released.add(job);
                        case DependencyVerdict.Cancel(String reason) -> cancelled.put(job, reason);
                        case DependencyVerdict.Wait wait -> { }
                    }
                }
            }
        }
        release(connection, released, now);
        return cancel(connection, cancelled, now);
    }

    /**
     * The jobs go on their way: to the outbox (or their FIFO lane) at once, or, when their own
     * {@code scheduled_at} is still ahead, to the delayed jobs until then.
     */
    private static void release(Connection connection, List<UUID> jobs, Instant now) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        UUID[] ids = jobs.toArray(UUID[]::new);
        mark(connection, ids, "met");
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement later = connection.prepareStatement("""
                INSERT INTO scheduled_jobs (scheduled_at, job_id)
                SELECT scheduled_at, id FROM jobs WHERE id = ANY(?::uuid[]) AND scheduled_at > ?
                ON CONFLICT DO NOTHING""")) {
            later.setArray(1, connection.createArrayOf("uuid", ids));
            later.setTimestamp(2, at);
            later.executeUpdate();
        }
        List<NewJob> due = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE jobs SET state = ?, updated_at = ?
                WHERE id = ANY(?::uuid[]) AND state = ? AND (scheduled_at IS NULL OR scheduled_at <= ?)
                RETURNING id, organization_id, queue_name, endpoint_id""")) {
            update.setString(1, JobState.PENDING.wireName());
            update.setTimestamp(2, at);
            update.setArray(3, connection.createArrayOf("uuid", ids));
            update.setString(4, JobState.SCHEDULED.wireName());
            update.setTimestamp(5, at);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    due.add(new NewJob(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            null, rs.getObject(4, UUID.class), 0, null, null, null, null, null, null));
                }
            }
        }
        // In id order, which is creation order: a workflow's jobs were created in dependency order.
        due.sort((a, b) -> a.id().compareTo(b.id()));
        JobStore.insertOutbox(connection, due);
    }

    private static List<SystemEvent> cancel(Connection connection, Map<UUID, String> jobs, Instant now)
            throws SQLException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        UUID[] ids = jobs.keySet().toArray(UUID[]::new);
        mark(connection, ids, "failed");
        List<SystemEvent> events = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE jobs j SET state = ?, last_error = x.reason, completed_at = ?, updated_at = ?
                FROM unnest(?::uuid[], ?::text[]) AS x(id, reason)
                WHERE j.id = x.id AND j.state = ?
                RETURNING j.id, j.organization_id, j.queue_name, j.endpoint_id, j.message_id, j.attempts, j.last_error""")) {
            Timestamp at = Timestamp.from(now);
            update.setString(1, JobState.CANCELLED.wireName());
            update.setTimestamp(2, at);
            update.setTimestamp(3, at);
            update.setArray(4, connection.createArrayOf("uuid", ids));
            update.setArray(5, connection.createArrayOf("text", jobs.values().toArray()));
            update.setString(6, JobState.SCHEDULED.wireName());
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    JobFacts job = new JobFacts(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class),
                            JobState.CANCELLED.wireName(), rs.getInt(6), null, rs.getString(7));
                    events.add(job.event(SystemEventType.JOB_CANCELLED, now, Map.of()));
                }
            }
        }
        return events;
    }

    private static void mark(Connection connection, UUID[] jobs, String dependencies) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dependent_jobs SET dependencies = ? WHERE job_id = ANY(?::uuid[])")) {
            update.setString(1, dependencies);
            update.setArray(2, connection.createArrayOf("uuid", jobs));
            update.executeUpdate();
        }
    }
}
