package io.sluice.store;

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

    private static Queue queue(ResultSet rs, int row) throws SQLException {
        return new Queue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Rows.integer(rs, 4), Rows.integer(rs, 5), Rows.integer(rs, 6), rs.getBoolean(7), rs.getString(8),
                EndpointStore.schedule(rs.getString(9)), Rows.instant(rs, 10), Rows.instant(rs, 11));
    }
}
