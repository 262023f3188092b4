package io.sluice.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Messages and their fan-out: a message is written with one delivery job per subscribed,
 * enabled endpoint, as the subscriptions are when its transaction runs ({@link IngestStore}
 * writes both in one transaction: a message goes to all of its endpoints, or to none).
 */
@Repository
public class MessageStore {

    private final JdbcTemplate jdbc;

    public MessageStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A message written, and its delivery jobs still to be written ({@link JobStore#insertWithin}).
     *
     * @param deliveries empty when the idempotency key named an earlier message
     */
    record FannedOut(PublishedMessage published, List<NewJob> deliveries) {
    }

    /**
     * Writes the message and decides its deliveries, on a connection whose transaction the caller owns.
     *
     * @param deliveryTo the delivery job of the message to one subscriber; empty when its payload filter refuses it
     */
    FannedOut fanOutWithin(Connection connection, NewMessage message, Function<Subscriber, Optional<NewJob>> deliveryTo,
                           Instant now)
            throws SQLException {
        if (!insertMessage(connection, message, now)) {
            // ON CONFLICT waited for the key's holder to commit, so this new statement sees its jobs.
            UUID earlier = jdbc.queryForObject(
                    "SELECT id FROM messages WHERE organization_id = ? AND idempotency_key = ?",
                    UUID.class, message.organizationId(), message.idempotencyKey());
            return new FannedOut(new PublishedMessage(earlier, jobIdsOf(message.organizationId(), earlier), false),
                    List.of());
        }
        List<NewJob> deliveries = subscribers(connection, message).stream().map(deliveryTo)
                .flatMap(Optional::stream).toList();
        return new FannedOut(new PublishedMessage(message.id(), deliveries.stream().map(NewJob::id).toList(), true),
                deliveries);
    }

    static boolean insertMessage(Connection connection, NewMessage message, Instant now) throws SQLException {
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
     * Enabled webhook endpoints subscribed to the event type (or to every type) whose channels, if they
     * have any, include one of the message's; in id order.
     */
    private static List<Subscriber> subscribers(Connection connection, NewMessage message) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, payload_filter::text FROM endpoints
                WHERE organization_id = ? AND enabled AND kind = 'webhook'
                  AND (coalesce(cardinality(event_types), 0) = 0 OR ? = ANY(event_types))
                  AND (coalesce(cardinality(channels), 0) = 0 OR channels && ?::text[])
                ORDER BY id""")) {
            select.setObject(1, message.organizationId());
            select.setString(2, message.eventType());
            Array channels = connection.createArrayOf("text", message.channels().toArray());
            select.setArray(3, channels);
            List<Subscriber> subscribers = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    subscribers.add(new Subscriber(rs.getObject(1, UUID.class), rs.getString(2)));
                }
            }
            return subscribers;
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
