package io.sluice.store;

import io.sluice.core.system.SystemEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What outgoing webhooks (endpoints of kind {@code system}) have been sent, read from their
 * delivery jobs; and the test event, sent through the same pipeline.
 */
@Repository
public class OutgoingWebhookStore {

    /** One system event sent to one outgoing webhook: its delivery job, and its latest attempt's answer. */
    public record Delivery(UUID id, UUID webhookId, String event, String payload, String state, Integer statusCode,
                           String responseBody, String error, int attempts, Instant createdAt, Instant deliveredAt) {
    }

    /**
     * @param failureCount    its deliveries in the dead-letter queue
     * @param lastTriggeredAt when its newest delivery was created; null if none
     * @param lastDelivered   whether its newest attempted delivery succeeded; null if none was attempted
     */
    public record Activity(long failureCount, Instant lastTriggeredAt, Boolean lastDelivered) {

        public static final Activity NONE = new Activity(0, null, null);
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SystemEventStore systemEvents;
    private final Clock clock;

    public OutgoingWebhookStore(JdbcTemplate jdbc, TransactionTemplate tx, SystemEventStore systemEvents, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    /** @return the id of the event's delivery job to that webhook */
    public UUID sendTo(UUID webhookId, SystemEvent event) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<UUID>) connection ->
                systemEvents.publishToWithin(connection, event, webhookId, clock.instant())));
    }

    /** Newest first. */
    public List<Delivery> deliveries(UUID organizationId, UUID webhookId, int limit, int offset) {
        return jdbc.query("""
                SELECT j.id, j.endpoint_id, j.queue_name,
                """ + JobRows.payload("j.") + """
                       , j.state, j.last_status_code,
                       a.response_excerpt, j.last_error, j.attempts, j.created_at, j.completed_at
                FROM jobs j
                LEFT JOIN LATERAL (SELECT response_excerpt FROM attempts
                                   WHERE job_id = j.id ORDER BY started_at DESC LIMIT 1) a ON true
                WHERE j.endpoint_id = ? AND j.organization_id = ?
                ORDER BY j.id DESC LIMIT ? OFFSET ?""",
                OutgoingWebhookStore::delivery, webhookId, organizationId, limit, offset);
    }

    private static Delivery delivery(ResultSet rs, int row) throws SQLException {
        return new Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), Rows.integer(rs, 6), rs.getString(7), rs.getString(8),
                rs.getInt(9), Rows.instant(rs, 10), Rows.instant(rs, 11));
    }

    /** @return per webhook given, its activity ({@link Activity#NONE} when it has sent nothing) */
    public Map<UUID, Activity> activity(UUID organizationId, List<UUID> webhookIds) {
        Map<UUID, Activity> activity = new HashMap<>();
        webhookIds.forEach(id -> activity.put(id, Activity.NONE));
        jdbc.query("""
                SELECT e.id,
                       (SELECT count(*) FROM dead_letters d WHERE d.organization_id = e.organization_id
                                                              AND d.endpoint_id = e.id),
                       (SELECT j.created_at FROM jobs j WHERE j.endpoint_id = e.id ORDER BY j.id DESC LIMIT 1),
                       (SELECT j.state = 'completed' FROM jobs j WHERE j.endpoint_id = e.id AND j.attempts > 0
                        ORDER BY j.id DESC LIMIT 1)
                FROM endpoints e WHERE e.organization_id = ? AND e.id = ANY(?::uuid[])""",
                rs -> {
                    Boolean delivered = rs.getObject(4, Boolean.class);
                    activity.put(rs.getObject(1, UUID.class),
                            new Activity(rs.getLong(2), Rows.instant(rs, 3), delivered));
                },
                organizationId, webhookIds.stream().map(UUID::toString).toArray(String[]::new));
        return activity;
    }
}
