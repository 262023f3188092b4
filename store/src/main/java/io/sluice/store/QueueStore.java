package io.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues and their configuration. A queue exists once a job was sent to it (the job insert
 * creates its row) or once it was configured. Every read and write is scoped to an organization.
 */
@Repository
public class QueueStore {

    private static final String COLUMNS = """
            id, organization_id, name, max_retries, default_timeout, rate_limit, enabled, settings::text,
            retry_schedule, created_at, updated_at""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public QueueStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    public Optional<Queue> get(UUID organizationId, String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM queues WHERE organization_id = ? AND name = ?",
                QueueStore::queue, organizationId, name).stream().findFirst();
    }

    /** The queue's figures now; one pass over its jobs. */
    public QueueStats stats(UUID organizationId, String name) {
        Timestamp now = Rows.timestamp(clock.instant());
        Timestamp dayAgo = Rows.timestamp(clock.instant().minus(Duration.ofHours(24)));
        return jdbc.queryForObject("""
                SELECT count(*) FILTER (WHERE state IN ('pending', 'scheduled')),
                       count(*) FILTER (WHERE state = 'processing'),
                       count(*) FILTER (WHERE state = 'completed' AND completed_at >= ?),
                       count(*) FILTER (WHERE state IN ('failed', 'deadletter') AND updated_at >= ?),
                       coalesce(avg(extract(epoch FROM completed_at - started_at) * 1000)
                                FILTER (WHERE state = 'completed' AND completed_at >= ?), 0),
                       coalesce(max(extract(epoch FROM ?::timestamptz - created_at))
                                FILTER (WHERE state IN ('pending', 'scheduled')), 0)
                FROM jobs WHERE organization_id = ? AND queue_name = ?""",
                (rs, n) -> new QueueStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getDouble(5), (long) rs.getDouble(6)),
                dayAgo, dayAgo, dayAgo, now, organizationId, name);
    }

    /**
     * By name, so paging with an offset is stable.
     *
     * @param scope the only queues that may be listed (an API key's scope), or null for all
     */
    public List<Queue> list(UUID organizationId, List<String> scope, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM queues WHERE organization_id = ?");
        List<Object> args = new ArrayList<>(List.of(organizationId));
        QueueScope.append(sql, args, "name", scope);
        args.add(limit);
        args.add(offset);
        return jdbc.query(sql.append(" ORDER BY name LIMIT ? OFFSET ?").toString(), QueueStore::queue, args.toArray());
    }

    /**
     * Changes a queue's configuration, creating the queue if it does not exist yet. The row is
     * locked while {@code change} runs, so concurrent partial updates of one queue all apply.
     *
     * @param change given the current configuration, returns the new one (id, owner and name are kept)
     * @return the queue as stored
     */
    public Queue configure(UUID organizationId, String name, UnaryOperator<Queue> change) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            jdbc.update("""
                    INSERT INTO queues (organization_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (organization_id, name) DO NOTHING""",
                    organizationId, name, Rows.timestamp(now), Rows.timestamp(now));
            Queue current = jdbc.queryForObject(
                    "SELECT " + COLUMNS + " FROM queues WHERE organization_id = ? AND name = ? FOR UPDATE",
                    QueueStore::queue, organizationId, name);
            Queue changed = change.apply(current);
            jdbc.update("""
                    UPDATE queues SET max_retries = ?, default_timeout = ?, rate_limit = ?, enabled = ?,
                        settings = ?::jsonb, retry_schedule = ?, updated_at = ?,
                        state_version = state_version + CASE WHEN rate_limit IS DISTINCT FROM ? THEN 1 ELSE 0 END
                    WHERE organization_id = ? AND name = ?""",
                    changed.maxRetries(), changed.defaultTimeout(), changed.rateLimit(), changed.enabled(),
                    changed.settings(), EndpointStore.scheduleText(changed.retrySchedule()), Rows.timestamp(now),
                    changed.rateLimit(), organizationId, name);
            return new Queue(current.id(), organizationId, name, changed.maxRetries(), changed.defaultTimeout(),
                    changed.rateLimit(), changed.enabled(), changed.settings(), changed.retrySchedule(),
                    current.createdAt(), now);
        });
    }

    /** What removing a queue did. */
    public sealed interface Removal {
        record NotFound() implements Removal {
        }

        /** Refused: jobs of the queue are still to run, and removing its jobs was not asked for. */
        record HasUnfinishedJobs(long count) implements Removal {
        }

        record Removed(int jobsDeleted) implements Removal {
        }
    }

    /** Tells the delivery workers to forget a queue's state; returns once Kafka has it, or throws. */
    @FunctionalInterface
    public interface Forget {
        void forget(UUID organizationId, String queueName) throws Exception;
    }

    /**
     * Removes a queue (its configuration, pause and rate limit) and, when {@code withJobs}, every
     * job in it with their attempts, dead letters and idempotency keys, in one transaction. A
     * delivery already on its way in Kafka may still be made: pause the queue first to hold those.
     * When workers were ever told the queue's state, {@code forget} tells them to drop it before
     * the removal commits; if that fails, nothing is removed.
     */
    public Removal remove(UUID organizationId, String name, boolean withJobs, Forget forget) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<Removal>) connection -> {
            List<Long> published = jdbc.query("""
                    SELECT published_state_version FROM queues WHERE organization_id = ? AND name = ? FOR UPDATE""",
                    (rs, n) -> rs.getLong(1), organizationId, name);
            if (published.isEmpty()) {
                return new Removal.NotFound();
            }
            int deleted = 0;
            if (withJobs) {
                deleted = deleteJobs(connection, organizationId, name);
            } else {
                Long unfinished = jdbc.queryForObject("""
                        SELECT count(*) FROM jobs WHERE organization_id = ? AND queue_name = ?
                          AND state IN ('scheduled', 'pending', 'processing')""", Long.class, organizationId, name);
                if (unfinished != null && unfinished > 0) {
                    return new Removal.HasUnfinishedJobs(unfinished);
                }
            }
            jdbc.update("DELETE FROM parked_jobs WHERE organization_id = ? AND queue_name = ?", organizationId, name);
            jdbc.update("DELETE FROM queues WHERE organization_id = ? AND name = ?", organizationId, name);
            if (published.getFirst() > 0) {
                HandOver.run(() -> forget.forget(organizationId, name), "the removal of queue " + name);
            }
            return new Removal.Removed(deleted);
        }));
    }

    private static int deleteJobs(Connection connection, UUID organizationId, String name) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM jobs WHERE organization_id = ? AND queue_name = ? RETURNING id, idempotency_key""")) {
            delete.setObject(1, organizationId);
            delete.setString(2, name);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                    if (rs.getString(2) != null) {
                        keys.add(rs.getString(2));
                    }
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        java.sql.Array idArray = connection.createArrayOf("uuid", ids.toArray());
        for (String table : List.of("outbox", "fifo_queue", "scheduled_jobs", "attempts", "dead_letters")) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE job_id = ANY(?::uuid[])")) {
                delete.setArray(1, idArray);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM idempotency_keys WHERE organization_id = ? AND key = ANY(?::text[]) AND job_id = ANY(?::uuid[])""")) {
            delete.setObject(1, organizationId);
            delete.setArray(2, connection.createArrayOf("text", keys.toArray()));
            delete.setArray(3, idArray);
            delete.executeUpdate();
        }
        return ids.size();
    }

    private static Queue queue(ResultSet rs, int row) throws SQLException {
        return new Queue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Rows.integer(rs, 4), Rows.integer(rs, 5), Rows.integer(rs, 6), rs.getBoolean(7), rs.getString(8),
                EndpointStore.schedule(rs.getString(9)), Rows.instant(rs, 10), Rows.instant(rs, 11));
    }
}
