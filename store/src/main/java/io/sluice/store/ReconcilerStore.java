package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.reconcile.JobSighting;
import io.sluice.core.reconcile.Reconciliation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconciler's reads and repairs. Every job is looked at once, when it is old enough to have
 * moved on (a cursor over job ids, which follow creation time), and the few still on their way
 * then are watched until they end. A job that should have moved long ago and has not (its record
 * was lost between two stages) gets a new outbox row at the attempt that was lost; the relay
 * sends it on as it sends every job. A job leased to a worker whose lease ran out long ago is named
 * to the lease reaper again with a lease grant. Decisions are {@link Reconciliation}'s.
 */
@Repository
public class ReconcilerStore {

    private static final UUID START = new UUID(0, 0);

    /**
     * A repair.
     *
     * @param done   what was done: the job sent on again at an attempt, or its lease named to the reaper
     * @param reason why
     */
    public record Repair(UUID jobId, UUID organizationId, String queueName, String done, String reason) {
    }

    /** What one pass did. */
    public record Pass(int examined, List<Repair> repairs) {
    }

    /** A job as read, with how often it was repaired. */
    private record Seen(UUID id, UUID organizationId, String queueName, JobSighting sighting) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ReconcilerStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Looks at the next jobs past the cursor that are older than {@code stuckAfter}, at most
     * {@code limit}, in one transaction. A pass running on another node makes this one a no-op.
     */
    public Pass examineNew(Duration stuckAfter, int limit) {
        Pass pass = tx.execute(status -> jdbc.execute((ConnectionCallback<Pass>) connection -> {
            Instant now = clock.instant();
            jdbc.update("""
                    INSERT INTO reconciler_cursor (examined_up_to, updated_at) VALUES (?, ?)
                    ON CONFLICT DO NOTHING""", START, Timestamp.from(now));
            List<UUID> cursor = jdbc.queryForList(
                    "SELECT examined_up_to FROM reconciler_cursor FOR UPDATE SKIP LOCKED", UUID.class);
            if (cursor.isEmpty()) {
                return new Pass(0, List.of());
            }
            List<Seen> seen = jdbc.query("""
                    SELECT id, organization_id, queue_name, state, next_attempt_at, updated_at, scheduled_at,
                           retry_count, 0, lease_expires_at
                    FROM jobs WHERE id > ? AND id < ? ORDER BY id LIMIT ?""", ReconcilerStore::seen,
                    cursor.getFirst(), Uuid7.lowerBound(now.minus(stuckAfter)), limit);
            if (seen.isEmpty()) {
                return new Pass(0, List.of());
            }
            List<Repair> repairs = act(connection, seen, stuckAfter, now);
            jdbc.update("UPDATE reconciler_cursor SET examined_up_to = ?, updated_at = ?", seen.getLast().id(),
                    Timestamp.from(now));
            return new Pass(seen.size(), repairs);
        }));
        return pass == null ? new Pass(0, List.of()) : pass;
    }

    /** Looks again at the watched jobs whose time came, at most {@code limit}, in one transaction. */
    public Pass examineWatched(Duration stuckAfter, int limit) {
        Pass pass = tx.execute(status -> jdbc.execute((ConnectionCallback<Pass>) connection -> {
            Instant now = clock.instant();
            List<UUID> due = jdbc.queryForList("""
                    SELECT job_id FROM reconciler_watch WHERE check_at <= ?
                    ORDER BY check_at LIMIT ? FOR UPDATE SKIP LOCKED""", UUID.class, Timestamp.from(now), limit);
            if (due.isEmpty()) {
                return new Pass(0, List.of());
            }
            List<Seen> seen = read(due.toArray(UUID[]::new), false);
            Set<UUID> present = new HashSet<>();
            seen.forEach(job -> present.add(job.id()));
            // Gone (its queue deleted, or dropped by retention): nothing left to watch.
            forget(due.stream().filter(id -> !present.contains(id)).toArray(UUID[]::new));
            return new Pass(due.size(), act(connection, seen, stuckAfter, now));
        }));
        return pass == null ? new Pass(0, List.of()) : pass;
    }

    /**
     * Applies the verdicts: forgets the ended, watches the moving, re-publishes the lost and names
     * long-expired leases to the reaper. A job about to be re-published is read again, locked, and
     * decided again: it may have moved since it was first read, or be held in PostgreSQL. A lease
     * is named only if it still ran out when the grant is written.
     */
    private List<Repair> act(Connection connection, List<Seen> seen, Duration stuckAfter, Instant now)
            throws SQLException {
        List<UUID> settled = new ArrayList<>();
        Map<UUID, Instant> lookAgain = new LinkedHashMap<>();
        List<UUID> suspects = new ArrayList<>();
        Map<Seen, Reconciliation.Regrant> regrants = new LinkedHashMap<>();
        for (Seen job : seen) {
            switch (Reconciliation.of(job.sighting(), false, now, stuckAfter)) {
                case Reconciliation.Settled s -> settled.add(job.id());
                case Reconciliation.LookAgain(Instant at) -> lookAgain.put(job.id(), at);
                case Reconciliation.Republish r -> suspects.add(job.id());
                case Reconciliation.Regrant regrant -> regrants.put(job, regrant);
            }
        }
        List<Repair> repairs = new ArrayList<>();
        Map<UUID, Integer> attempts = new LinkedHashMap<>();
        Map<UUID, Instant> repaired = new LinkedHashMap<>();
        if (!suspects.isEmpty()) {
            UUID[] ids = suspects.toArray(UUID[]::new);
            Set<UUID> held = HeldDeliveries.waiting(jdbc, ids);
            for (Seen job : read(ids, true)) {
                switch (Reconciliation.of(job.sighting(), held.contains(job.id()), now, stuckAfter)) {
                    case Reconciliation.Settled s -> settled.add(job.id());
                    case Reconciliation.LookAgain(Instant at) -> lookAgain.put(job.id(), at);
                    case Reconciliation.Republish(int attempt, String reason, Instant at) -> {
                        repairs.add(new Repair(job.id(), job.organizationId(), job.queueName(),
                                "sent on again at attempt " + attempt, reason));
                        attempts.put(job.id(), attempt);
                        repaired.put(job.id(), at);
                    }
                    case Reconciliation.Regrant regrant -> regrants.put(job, regrant);
                }
            }
        }
        Set<UUID> regranted = regrant(regrants.keySet(), now);
        regrants.forEach((job, regrant) -> {
            if (regranted.contains(job.id())) {
                repairs.add(new Repair(job.id(), job.organizationId(), job.queueName(),
                        "its lease named to the lease reaper again", regrant.reason()));
                repaired.put(job.id(), regrant.lookAgainAt());
            } else {
                lookAgain.put(job.id(), regrant.lookAgainAt()); // it moved since it was read
            }
        });
        forget(settled.toArray(UUID[]::new));
        watch(connection, lookAgain, false);
        watch(connection, repaired, true);
        republish(connection, attempts);
        return repairs;
    }

    /**
     * A lease grant for each of the jobs still leased with a lease that ran out, so the lease
     * reaper takes them back (it checks the lease again, so a grant too many does no harm).
     *
     * @return the jobs named
     */
    private Set<UUID> regrant(Set<Seen> jobs, Instant now) {
        if (jobs.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("""
                INSERT INTO lease_grants (worker_id, expires_at, job_ids)
                SELECT assigned_worker_id, lease_expires_at, ARRAY[id] FROM jobs
                WHERE id = ANY(?::uuid[]) AND state = 'processing' AND assigned_worker_id IS NOT NULL
                    AND lease_expires_at <= ?
                RETURNING job_ids[1]""", UUID.class,
                jobs.stream().map(Seen::id).toArray(UUID[]::new), Timestamp.from(now)));
    }

    /** The jobs, with their repairs so far; {@code lock}: their rows locked, so they cannot move meanwhile. */
    private List<Seen> read(UUID[] ids, boolean lock) {
        return jdbc.query("""
                SELECT j.id, j.organization_id, j.queue_name, j.state, j.next_attempt_at, j.updated_at, j.scheduled_at,
                       j.retry_count, coalesce(w.repairs, 0), j.lease_expires_at
                FROM jobs j LEFT JOIN reconciler_watch w ON w.job_id = j.id
                WHERE j.id = ANY(?::uuid[]) ORDER BY j.id""" + (lock ? " FOR UPDATE OF j" : ""),
                ReconcilerStore::seen, (Object) ids);
    }

    private void forget(UUID[] ids) {
        if (ids.length > 0) {
            jdbc.update("DELETE FROM reconciler_watch WHERE job_id = ANY(?::uuid[])", (Object) ids);
        }
    }

    /** Watches the jobs until the times given; {@code repaired}: they were just re-published once more. */
    private static void watch(Connection connection, Map<UUID, Instant> until, boolean repaired) throws SQLException {
        if (until.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO reconciler_watch (job_id, check_at, repairs)
                SELECT x.j, x.t::timestamptz, ? FROM unnest(?::uuid[], ?::text[]) AS x(j, t)
                ON CONFLICT (job_id) DO UPDATE
                SET check_at = excluded.check_at, repairs = reconciler_watch.repairs + excluded.repairs""")) {
            upsert.setInt(1, repaired ? 1 : 0);
            upsert.setArray(2, connection.createArrayOf("uuid", until.keySet().toArray()));
            // As ISO text: a timestamp array would be read in the session's time zone.
            upsert.setArray(3, connection.createArrayOf("text", until.values().stream().map(Instant::toString).toArray()));
            upsert.executeUpdate();
        }
    }

    /** @param attempts the jobs to send on again, each at the attempt that was lost */
    private static void republish(Connection connection, Map<UUID, Integer> attempts) throws SQLException {
        if (attempts.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (job_id, attempt) SELECT * FROM unnest(?::uuid[], ?::int4[])")) {
            insert.setArray(1, connection.createArrayOf("uuid", attempts.keySet().toArray()));
            insert.setArray(2, connection.createArrayOf("int4", attempts.values().toArray()));
            insert.executeUpdate();
        }
    }

    private static Seen seen(ResultSet rs, int row) throws SQLException {
        return new Seen(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                new JobSighting(JobState.fromWireName(rs.getString(4)), Rows.instant(rs, 5), Rows.instant(rs, 6),
                        Rows.instant(rs, 7), rs.getInt(8), rs.getInt(9), Rows.instant(rs, 10)));
    }
}
