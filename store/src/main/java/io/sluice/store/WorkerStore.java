package io.sluice.store;

import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * External workers: registration, heartbeats, and the ones that went silent. Scoped by
 * organization. Registering and going offline raise {@code worker.registered} and
 * {@code worker.deregistered} in the same transaction.
 */
@Repository
public class WorkerStore {

    private static final String COLUMNS = """
            id, organization_id, queue_name, hostname, worker_type, max_concurrency, current_jobs, status,
            metadata::text, version, last_heartbeat, registered_at, updated_at""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SystemEventStore systemEvents;
    private final Clock clock;

    public WorkerStore(JdbcTemplate jdbc, TransactionTemplate tx, SystemEventStore systemEvents, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    public Worker register(UUID id, UUID organizationId, String queueName, String hostname, String workerType,
                           int maxConcurrency, String metadata, String version) {
        Instant now = clock.instant();
        return tx.execute(status -> {
            Worker worker = jdbc.queryForObject("""
                    INSERT INTO workers (id, organization_id, queue_name, hostname, worker_type, max_concurrency, status,
                        metadata, version, last_heartbeat, registered_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'healthy', coalesce(?::jsonb, '{}'), ?, ?, ?, ?)
                    RETURNING""" + " " + COLUMNS,
                    WorkerStore::worker, id, organizationId, queueName, hostname, workerType, maxConcurrency, metadata,
                    version, Rows.timestamp(now), Rows.timestamp(now), Rows.timestamp(now));
            publish(List.of(event(SystemEventType.WORKER_REGISTERED, organizationId, id, queueName, hostname, null, now)),
                    now);
            return worker;
        });
    }

    private static SystemEvent event(SystemEventType type, UUID organizationId, UUID workerId, String queueName,
                                     String hostname, String reason, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("worker_id", workerId.toString());
        data.put("queue_name", queueName);
        data.put("hostname", hostname);
        if (reason != null) {
            data.put("reason", reason);
        }
        return new SystemEvent(type, organizationId, null, now, data);
    }

    private void publish(List<SystemEvent> events, Instant now) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            systemEvents.publishWithin(connection, events, now);
            return null;
        });
    }

    /**
     * Records a heartbeat: the worker is alive, with this many jobs and this status (null: kept);
     * a worker marked offline comes back by beating again.
     *
     * @return the worker as stored, or empty when the organization has no such worker
     */
    public Optional<Worker> heartbeat(UUID organizationId, UUID id, int currentJobs, String status, String metadata) {
        Instant now = clock.instant();
        return jdbc.query("""
                UPDATE workers SET last_heartbeat = ?, current_jobs = ?,
                    status = coalesce(?, CASE WHEN status = 'offline' THEN 'healthy' ELSE status END),
                    metadata = coalesce(?::jsonb, metadata), updated_at = ?
                WHERE organization_id = ? AND id = ?
                RETURNING""" + " " + COLUMNS,
                WorkerStore::worker, Rows.timestamp(now), currentJobs, status, metadata, Rows.timestamp(now),
                organizationId, id).stream().findFirst();
    }

    /** Marks the worker offline; its jobs are given back by the caller. @return false when there is no such worker */
    public boolean goOffline(UUID organizationId, UUID id) {
        Instant now = clock.instant();
        Boolean found = tx.execute(status -> {
            List<Worker> before = jdbc.query("SELECT " + COLUMNS + " FROM workers WHERE organization_id = ? AND id = ?"
                    + " FOR UPDATE", WorkerStore::worker, organizationId, id);
            if (before.isEmpty()) {
                return false;
            }
            jdbc.update("UPDATE workers SET status = 'offline', current_jobs = 0, updated_at = ? WHERE id = ?",
                    Rows.timestamp(now), id);
            Worker worker = before.getFirst();
            // Deregistering a worker already offline (silent, or deregistered before) says nothing new.
            if (!"offline".equals(worker.status())) {
                publish(List.of(event(SystemEventType.WORKER_DEREGISTERED, organizationId, id, worker.queueName(),
                        worker.hostname(), "deregistered", now)), now);
            }
            return true;
        });
        return Boolean.TRUE.equals(found);
    }

    public Optional<Worker> get(UUID organizationId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM workers WHERE organization_id = ? AND id = ?",
                WorkerStore::worker, organizationId, id).stream().findFirst();
    }

    /** @param queueScope the only queues whose workers may be listed, or null for all */
    public List<Worker> list(UUID organizationId, List<String> queueScope, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM workers WHERE organization_id = ?");
        List<Object> args = new ArrayList<>(List.of(organizationId));
        QueueScope.append(sql, args, "queue_name", queueScope);
        args.add(limit);
        args.add(offset);
        return jdbc.query(sql.append(" ORDER BY registered_at DESC, id LIMIT ? OFFSET ?").toString(),
                WorkerStore::worker, args.toArray());
    }

    /** Workers not offline whose last heartbeat is older than {@code silentSince}: they are marked offline and returned. */
    public List<UUID> markSilentOffline(Instant silentSince, int limit) {
        Instant now = clock.instant();
        return tx.execute(status -> {
            List<SystemEvent> events = jdbc.query("""
                    UPDATE workers SET status = 'offline', current_jobs = 0, updated_at = ?
                    WHERE id IN (SELECT id FROM workers WHERE status <> 'offline' AND last_heartbeat < ?
                                 ORDER BY last_heartbeat LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING id, organization_id, queue_name, hostname""",
                    (rs, n) -> event(SystemEventType.WORKER_DEREGISTERED, rs.getObject(2, UUID.class),
                            rs.getObject(1, UUID.class), rs.getString(3), rs.getString(4), "silent", now),
                    Rows.timestamp(now), Rows.timestamp(silentSince), limit);
            publish(events, now);
            return events.stream().map(e -> UUID.fromString((String) e.data().get("worker_id"))).toList();
        });
    }

    /** Workers of the queue heard from since {@code since} and not offline. */
    public int countActive(UUID organizationId, String queueName, Instant since) {
        Integer count = jdbc.queryForObject("""
                SELECT count(*) FROM workers WHERE organization_id = ? AND queue_name = ? AND status <> 'offline'
                    AND last_heartbeat >= ?""", Integer.class, organizationId, queueName, Rows.timestamp(since));
        return count == null ? 0 : count;
    }

    private static Worker worker(ResultSet rs, int row) throws SQLException {
        return new Worker(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getString(10),
                Rows.instant(rs, 11), Rows.instant(rs, 12), Rows.instant(rs, 13));
    }
}
