package io.sluice.store;

import io.sluice.core.job.Uuid7;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The dashboard's summary of an organization: a pass over its jobs, its queues' loads, its workers. */
@Repository
public class DashboardStore {

    private static final int MAX_QUEUES = 100;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DashboardStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * @param queueScope the only queues to count (an API key's scope), or null for all
     * @param workerSilence a worker not heard from this long is not healthy
     */
    public DashboardFigures summary(UUID organizationId, List<String> queueScope, Duration workerSilence) {
        Instant now = clock.instant();
        Timestamp day = Rows.timestamp(now.minus(Duration.ofHours(24)));
        Timestamp hour = Rows.timestamp(now.minus(Duration.ofHours(1)));
        StringBuilder jobsSql = new StringBuilder("""
                SELECT count(*),
                       count(*) FILTER (WHERE state IN ('pending', 'scheduled')),
                       count(*) FILTER (WHERE state = 'processing'),
                       count(*) FILTER (WHERE state = 'completed' AND completed_at >= ?),
                       count(*) FILTER (WHERE state IN ('failed', 'deadletter') AND updated_at >= ?),
                       count(*) FILTER (WHERE state = 'deadletter'),
                       avg(extract(epoch FROM started_at - created_at) * 1000) FILTER (WHERE started_at >= ?),
                       avg(extract(epoch FROM completed_at - started_at) * 1000)
                           FILTER (WHERE state = 'completed' AND completed_at >= ?),
                       count(*) FILTER (WHERE id >= ?),
                       count(*) FILTER (WHERE state = 'completed' AND completed_at >= ?),
                       count(*) FILTER (WHERE state IN ('failed', 'deadletter') AND updated_at >= ?)
                FROM jobs WHERE organization_id = ?""");
        List<Object> jobArgs = new ArrayList<>(List.of(day, day, day, day, Uuid7.lowerBound(now.minus(Duration.ofHours(1))),
                hour, hour, organizationId));
        QueueScope.append(jobsSql, jobArgs, "queue_name", queueScope);

        StringBuilder queuesSql = new StringBuilder("""
                SELECT q.name, coalesce(c.pending, 0), coalesce(c.processing, 0), q.paused
                FROM queues q LEFT JOIN (
                    SELECT queue_name, count(*) FILTER (WHERE state IN ('pending', 'scheduled')) AS pending,
                           count(*) FILTER (WHERE state = 'processing') AS processing
                    FROM jobs WHERE organization_id = ? AND state IN ('pending', 'scheduled', 'processing')
                    GROUP BY queue_name) c ON c.queue_name = q.name
                WHERE q.organization_id = ?""");
        List<Object> queueArgs = new ArrayList<>(List.of(organizationId, organizationId));
        QueueScope.append(queuesSql, queueArgs, "q.name", queueScope);
        queuesSql.append(" ORDER BY q.name LIMIT ").append(MAX_QUEUES);
        List<DashboardFigures.QueueLoad> queues = jdbc.query(queuesSql.toString(),
                (rs, n) -> new DashboardFigures.QueueLoad(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4)),
                queueArgs.toArray());

        StringBuilder workersSql = new StringBuilder("""
                SELECT count(*), count(*) FILTER (WHERE status = 'healthy' AND last_heartbeat >= ?)
                FROM workers WHERE organization_id = ? AND status <> 'offline'""");
        List<Object> workerArgs = new ArrayList<>(List.of(Rows.timestamp(now.minus(workerSilence)), organizationId));
        QueueScope.append(workersSql, workerArgs, "queue_name", queueScope);
        long[] workers = jdbc.queryForObject(workersSql.toString(),
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}, workerArgs.toArray());

        return jdbc.queryForObject(jobsSql.toString(), (rs, n) -> new DashboardFigures(rs.getLong(1), rs.getLong(2),
                rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), nullableDouble(rs, 7),
                nullableDouble(rs, 8), rs.getLong(9), rs.getLong(10), rs.getLong(11), queues, workers[0], workers[1]),
                jobArgs.toArray());
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(value * 10) / 10.0;
    }
}
