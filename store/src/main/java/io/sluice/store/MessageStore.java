package io.sluice.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages and their fan-out. Publishing writes the message, one delivery job per subscribed,
 * enabled endpoint (as the subscriptions are when the transaction runs) and their outbox rows
 * in one transaction: a message is published to all of its endpoints, or to none.
 */
@Repository
public class MessageStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobStore jobs;
    private final Clock clock;

    public MessageStore(JdbcTemplate jdbc, TransactionTemplate tx, JobStore jobs, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * @param deliveryTo the delivery job of the message to one endpoint, given its id
     * @return the message's id and its jobs; with a repeated idempotency key, the earlier message's
     */
    public PublishedMessage publish(NewMessage message, Function<UUID, NewJob> deliveryTo) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<PublishedMessage>) connection -> {
            Instant now = clock.instant();
            if (!insertMessage(connection, message, now)) {
                // ON CONFLICT waited for the key's holder to commit, so this new statement sees its jobs.
                UUID earlier = jdbc.queryForObject(
                        "SELECT id FROM messages WHERE organization_id = ? AND idempotency_key = ?",
                        UUID.class, message.organizationId(), message.idempotencyKey());
                return new PublishedMessage(earlier, jobIdsOf(message.organizationId(), earlier), false);
            }
            List<NewJob> deliveries = subscribedEndpoints(connection, message).stream().map(deliveryTo).toList();
            jobs.insertWithin(connection, deliveries, now);
            return new PublishedMessage(message.id(), deliveries.stream().map(NewJob::id).toList(), true);
        }));
    }

    private static boolean insertMessage(Connection connection, NewMessage message, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO messages (id, organization_id, event_type, payload, channels, idempotency_key, created_at)
                VALUES (?, ?, ?, ?::json, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, message.id());
            insert.setObject(2, message.organizationId());
            insert.setString(3, message.eventType());
            insert.setString(4, message.payload());
            insert.setArray(5, message.channels().isEmpty() ? null
                    : connection.createArrayOf("text", message.channels().toArray()));
            insert.setString(6, message.idempotencyKey());
            insert.setTimestamp(7, Rows.timestamp(now));
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Enabled endpoints subscribed to the event type (or to every type) whose channels, if they
     * have any, include one of the message's; in id order.
     */
    private static List<UUID> subscribedEndpoints(Connection connection, NewMessage message) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id FROM endpoints
                WHERE organization_id = ? AND enabled
                  AND (coalesce(cardinality(event_types), 0) = 0 OR ? = ANY(event_types))
                  AND (coalesce(cardinality(channels), 0) = 0 OR channels && ?::text[])
                ORDER BY id""")) {
            select.setObject(1, message.organizationId());
            select.setString(2, message.eventType());
            Array channels = connection.createArrayOf("text", message.channels().toArray());
            select.setArray(3, channels);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private List<UUID> jobIdsOf(UUID organizationId, UUID messageId) {
        return jdbc.queryForList("""
                SELECT j.id FROM jobs j WHERE j.message_id = ? AND j.organization_id = ? ORDER BY j.endpoint_id""",
                UUID.class, messageId, organizationId);
    }

    public Optional<Message> get(UUID organizationId, UUID id) {
        List<Message.Delivery> deliveries = jdbc.query("""
                SELECT id, endpoint_id, state, attempts, last_error, updated_at FROM jobs
                WHERE message_id = ? AND organization_id = ? ORDER BY endpoint_id""",
                (rs, n) -> new Message.Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getInt(4), rs.getString(5), Rows.instant(rs, 6)),
                id, organizationId);
        return jdbc.query("""
                SELECT id, organization_id, event_type, payload::text, channels, idempotency_key, created_at
                FROM messages WHERE id = ? AND organization_id = ?""",
                (rs, n) -> new Message(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), Rows.texts(rs, 5), rs.getString(6), Rows.instant(rs, 7), deliveries),
                id, organizationId).stream().findFirst();
    }
}
