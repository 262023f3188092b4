package io.sluice.store;

import io.sluice.core.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dead-letter queue: jobs given up on, listed, sent back to pending, or purged.
 *
 * <p>{@code dead_letters} (written by the state projector) is how they are found without an
 * index on {@code jobs.state}, which would cost every job update its HOT-ness (V2, V3).
 * {@code jobs.state} stays the truth: every query joins jobs and checks the state, and every
 * change is guarded by it, so a job that moved on meanwhile is skipped, never changed.
 *
 * <p>Retry and purge pick their jobs with {@code FOR UPDATE OF d SKIP LOCKED} on the index
 * rows: two concurrent retries (or a retry and a purge) of one queue take different jobs
 * instead of one of them waiting and then finding nothing left to do.
 */
@Repository
public class DeadLetterStore {

    private static final String DEADLETTER = JobState.DEADLETTER.wireName();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DeadLetterStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** Dead-lettered jobs, newest dead first. */
    public List<JobRecord> list(DeadLetterQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + JobRows.columns("j") + """
                 FROM dead_letters d JOIN jobs j ON j.id = d.job_id
                WHERE d.organization_id = ? AND j.organization_id = d.organization_id AND j.state = ?""");
        List<Object> args = new ArrayList<>(List.of(query.organizationId(), DEADLETTER));
        if (query.queueName() != null) {
            sql.append(" AND d.queue_name = ?");
            args.add(query.queueName());
        }
        QueueScope.append(sql, args, "d.queue_name", query.queueScope());
        if (query.tag() != null) {
            TagFilter.append(sql, args, "j.tags", query.tag());
        }
        sql.append(" ORDER BY d.dead_at DESC, d.job_id DESC LIMIT ? OFFSET ?");
        args.add(query.limit());
        args.add(query.offset());
        return jdbc.query(sql.toString(), JobRows::job, args.toArray());
    }

    /**
     * Sends dead-lettered jobs back to pending, in one transaction: retry count reset, no
     * attempt due, out of the dead-letter index, and (webhook jobs) into the outbox, from
     * which the relay publishes them as a first attempt.
     *
     * @return the jobs that moved; requested ones that were not dead-lettered are left out
     */
    public List<UUID> retry(DeadLetterRetry retry) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<List<UUID>>) connection -> {
            UUID[] chosen = pick(connection, retry.organizationId(), retry.queueName(), retry.jobIds(), null, null,
                    null, retry.limit());
            return restart(connection, retry.organizationId(), chosen, EnumSet.of(JobState.DEADLETTER));
        }));
    }

    /**
     * Recovers an endpoint: sends back to pending its dead-lettered jobs that died at or after
     * {@code since}, those dead the longest first, at most {@code limit}.
     *
     * @return the jobs sent back
     */
    public List<UUID> recover(UUID organizationId, UUID endpointId, Instant since, int limit) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<List<UUID>>) connection -> {
            UUID[] chosen = pick(connection, organizationId, null, null, endpointId, since, null, limit);
            return restart(connection, organizationId, chosen, EnumSet.of(JobState.DEADLETTER));
        }));
    }

    /**
     * A user's retry of one job in a {@linkplain JobState#manuallyRetryable() retryable state}:
     * the same move as {@link #retry}. The row is locked before its state is read, so the
     * answer cannot be overtaken by a concurrent change.
     */
    public JobRetryResult retryJob(JobRetry retry) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<JobRetryResult>) connection -> {
            Optional<JobState> state = lockState(connection, retry.organizationId(), retry.jobId());
            if (state.isEmpty()) {
                return new JobRetryResult.NotFound();
            }
            if (!JobState.manuallyRetryable().contains(state.get())) {
                return new JobRetryResult.NotRetryable(state.get());
            }
            List<UUID> moved = restart(connection, retry.organizationId(), new UUID[] {retry.jobId()},
                    JobState.manuallyRetryable());
            if (moved.size() != 1) {
                throw new IllegalStateException("job " + retry.jobId() + " was locked in state " + state.get()
                        + " yet " + moved.size() + " rows moved");
            }
            return new JobRetryResult.Retried(read(connection, retry.organizationId(), retry.jobId()));
        }));
    }

    /**
     * Deletes dead-lettered jobs for good, in one transaction: the job rows (guarded by their
     * state), their attempts, their dead-letter index rows, and the idempotency keys that still
     * point at them, so a client sending the same key again creates a new job rather than being
     * told about one that no longer exists.
     *
     * @return how many jobs were deleted
     */
    public int purge(DeadLetterPurge purge) {
        Integer purged = tx.execute(status -> jdbc.execute((ConnectionCallback<Integer>) connection -> {
            UUID[] chosen = pick(connection, purge.organizationId(), purge.queueName(), null, null, null,
                    purge.olderThan(),
                    purge.limit());
            if (chosen.length == 0) {
                return 0;
            }
            List<UUID> deleted = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            try (PreparedStatement delete = connection.prepareStatement("""
                    DELETE FROM jobs WHERE id = ANY(?::uuid[]) AND organization_id = ? AND state = ?
                    RETURNING id, idempotency_key""")) {
                delete.setArray(1, connection.createArrayOf("uuid", chosen));
                delete.setObject(2, purge.organizationId());
                delete.setString(3, DEADLETTER);
                try (ResultSet rs = delete.executeQuery()) {
                    while (rs.next()) {
                        deleted.add(rs.getObject(1, UUID.class));
                        if (rs.getString(2) != null) {
                            keys.add(rs.getString(2));
                        }
                    }
                }
            }
            checkAtMost(deleted.size(), chosen.length, "purged");
            if (deleted.isEmpty()) {
                return 0;
            }
            UUID[] ids = deleted.toArray(UUID[]::new);
            // attempts_job (job_id, started_at) serves this in every attempts partition.
            deleteByJob(connection, "DELETE FROM attempts WHERE job_id = ANY(?::uuid[])", ids);
            deleteByJob(connection, "DELETE FROM dead_letters WHERE job_id = ANY(?::uuid[])", ids);
            if (!keys.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement("""
                        DELETE FROM idempotency_keys
                        WHERE organization_id = ? AND key = ANY(?::text[]) AND job_id = ANY(?::uuid[])""")) {
                    delete.setObject(1, purge.organizationId());
                    delete.setArray(2, connection.createArrayOf("text", keys.toArray(String[]::new)));
                    delete.setArray(3, connection.createArrayOf("uuid", ids));
                    delete.executeUpdate();
                }
            }
            return deleted.size();
        }));
        return purged == null ? 0 : purged;
    }

    /**
     * Picks up to {@code limit} dead-lettered jobs, dead the longest first, locking their index
     * rows and skipping those another retry or purge holds.
     */
    private static UUID[] pick(Connection connection, UUID organizationId, String queueName, List<UUID> jobIds,
                               UUID endpointId, Instant deadSince, Instant deadBefore, int limit)
            throws SQLException {
        if (jobIds != null && jobIds.isEmpty()) {
            return new UUID[0];
        }
        StringBuilder sql = new StringBuilder("""
                SELECT d.job_id FROM dead_letters d JOIN jobs j ON j.id = d.job_id
                WHERE d.organization_id = ? AND j.organization_id = d.organization_id AND j.state = ?""");
        if (queueName != null) {
            sql.append(" AND d.queue_name = ?");
        }
        if (jobIds != null) {
            sql.append(" AND d.job_id = ANY(?::uuid[])");
        }
        if (endpointId != null) {
            sql.append(" AND d.endpoint_id = ?");
        }
        if (deadSince != null) {
            sql.append(" AND d.dead_at >= ?");
        }
        if (deadBefore != null) {
            sql.append(" AND d.dead_at < ?");
        }
        sql.append(" ORDER BY d.dead_at, d.job_id LIMIT ? FOR UPDATE OF d SKIP LOCKED");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int p = 1;
            select.setObject(p++, organizationId);
            select.setString(p++, DEADLETTER);
            if (queueName != null) {
                select.setString(p++, queueName);
            }
            if (jobIds != null) {
                select.setArray(p++, connection.createArrayOf("uuid", jobIds.toArray()));
            }
            if (endpointId != null) {
                select.setObject(p++, endpointId);
            }
            if (deadSince != null) {
                select.setTimestamp(p++, Timestamp.from(deadSince));
            }
            if (deadBefore != null) {
                select.setTimestamp(p++, Timestamp.from(deadBefore));
            }
            select.setInt(p, limit);
            List<UUID> chosen = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    chosen.add(rs.getObject(1, UUID.class));
                }
            }
            return chosen.toArray(UUID[]::new);
        }
    }

    /**
     * Moves jobs that are in one of {@code sources} to pending as if new: retry count reset,
     * no attempt due. Their dead-letter index rows go, and each gets an outbox row, as at
     * insert: a webhook job's delivery, or a worker's job for the work feed. On a connection
     * whose transaction the caller owns.
     *
     * @return the jobs that moved, in the order given
     */
    List<UUID> restart(Connection connection, UUID organizationId, UUID[] ids, Set<JobState> sources)
            throws SQLException {
        if (ids.length == 0) {
            return List.of();
        }
        for (JobState source : sources) {
            if (!source.canMoveTo(JobState.PENDING)) {
                throw new IllegalArgumentException(source + " cannot move to pending");
            }
        }
        List<UUID> moved = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE jobs SET state = ?, retry_count = 0, next_attempt_at = NULL, updated_at = ?
                WHERE id = ANY(?::uuid[]) AND organization_id = ? AND state = ANY(?::text[])
                RETURNING id""")) {
            update.setString(1, JobState.PENDING.wireName());
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            update.setArray(3, connection.createArrayOf("uuid", ids));
            update.setObject(4, organizationId);
            update.setArray(5, connection.createArrayOf("text",
                    sources.stream().map(JobState::wireName).toArray(String[]::new)));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    moved.add(rs.getObject(1, UUID.class));
                }
            }
        }
        checkAtMost(moved.size(), ids.length, "restarted");
        if (moved.isEmpty()) {
            return List.of();
        }
        deleteByJob(connection, "DELETE FROM dead_letters WHERE job_id = ANY(?::uuid[])", moved.toArray(UUID[]::new));
        UUID[] ordered = order(ids, moved);
        // In the order given (the bigserial follows unnest's order), as the relay publishes by outbox id.
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (job_id) SELECT i FROM unnest(?::uuid[]) WITH ORDINALITY AS x(i, n) ORDER BY n")) {
            insert.setArray(1, connection.createArrayOf("uuid", ordered));
            insert.executeUpdate();
        }
        return List.of(ordered);
    }

    /** The members of {@code subset} in the order they have in {@code ids}. */
    private static UUID[] order(UUID[] ids, List<UUID> subset) {
        Set<UUID> members = new HashSet<>(subset);
        List<UUID> ordered = new ArrayList<>(subset.size());
        for (UUID id : ids) {
            if (members.remove(id)) {
                ordered.add(id);
            }
        }
        return ordered.toArray(UUID[]::new);
    }

    private static Optional<JobState> lockState(Connection connection, UUID organizationId, UUID jobId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state FROM jobs WHERE id = ? AND organization_id = ? FOR UPDATE")) {
            select.setObject(1, jobId);
            select.setObject(2, organizationId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(JobState.fromWireName(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static JobRecord read(Connection connection, UUID organizationId, UUID jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ? AND organization_id = ?")) {
            select.setObject(1, jobId);
            select.setObject(2, organizationId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("job " + jobId + " vanished inside the transaction that moved it");
                }
                return JobRows.job(rs, 1);
            }
        }
    }

    private static void deleteByJob(Connection connection, String sql, UUID[] ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setArray(1, connection.createArrayOf("uuid", ids));
            delete.executeUpdate();
        }
    }

    /** Fewer rows than ids is a modelled outcome (those jobs moved on); more is a bug. */
    private static void checkAtMost(int rows, int ids, String what) {
        if (rows > ids) {
            throw new IllegalStateException(rows + " jobs " + what + " for " + ids + " ids");
        }
    }
}
