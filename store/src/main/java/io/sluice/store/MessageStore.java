package io.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
     * Writes the messages and decides their deliveries, on a connection whose transaction the
     * caller owns, in two round trips whatever their number: one batch of inserts, one read of
     * their organizations' subscribers.
     *
     * @param messages in the order their idempotency keys are to be locked in
     * @return one per message, in order
     */
    List<FannedOut> fanOutWithin(Connection connection, List<IngestStore.MessageToPublish> messages, Instant now)
            throws SQLException {
        boolean[] inserted = insertMessages(connection,
                messages.stream().map(IngestStore.MessageToPublish::message).toList(), now);
        List<NewMessage> written = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (inserted[i]) {
                written.add(messages.get(i).message());
            }
        }
        List<Candidate> candidates = candidatesFor(connection, written);
        List<FannedOut> fannedOut = new ArrayList<>(messages.size());
        Map<String, PublishedMessage> writtenByKey = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage message = messages.get(i).message();
            Function<Subscriber, Optional<NewJob>> deliveryTo = messages.get(i).deliveryTo();
            if (inserted[i]) {
                List<NewJob> deliveries = candidates.stream()
                        .filter(c -> c.organizationId().equals(message.organizationId())
                                && c.subscription().receives(message.eventType(), message.channels()))
                        .map(c -> deliveryTo.apply(new Subscriber(c.endpointId(), c.subscription().payloadFilter())))
                        .flatMap(Optional::stream).toList();
                PublishedMessage published = new PublishedMessage(message.id(),
                        deliveries.stream().map(NewJob::id).toList(), true);
                if (message.idempotencyKey() != null) {
                    writtenByKey.put(message.organizationId() + "/" + message.idempotencyKey(), published);
                }
                fannedOut.add(new FannedOut(published, deliveries));
            } else {
                fannedOut.add(new FannedOut(earlier(message, writtenByKey), List.of()));
            }
        }
        return fannedOut;
    }

    /** An enabled webhook endpoint that may receive some of the messages. */
    private record Candidate(UUID endpointId, UUID organizationId, Subscription subscription) {
    }

    /** The message an idempotency key named: written earlier in this batch, or by an earlier commit. */
    private PublishedMessage earlier(NewMessage message, Map<String, PublishedMessage> writtenByKey) {
        PublishedMessage inThisBatch = writtenByKey.get(message.organizationId() + "/" + message.idempotencyKey());
        if (inThisBatch != null) {
            return new PublishedMessage(inThisBatch.messageId(), inThisBatch.jobIds(), false);
        }
        // ON CONFLICT waited for the key's holder to commit, so this new statement sees its jobs.
        UUID earlier = jdbc.queryForObject(
                "SELECT id FROM messages WHERE organization_id = ? AND idempotency_key = ?",
                UUID.class, message.organizationId(), message.idempotencyKey());
        return new PublishedMessage(earlier, jobIdsOf(message.organizationId(), earlier), false);
    }

    /**
     * Writes the messages in one batch (one round trip), in the order given.
     *
     * @return per message, whether it was written (false: its idempotency key named an earlier one)
     */
    static boolean[] insertMessages(Connection connection, List<NewMessage> messages, Instant now)
            throws SQLException {
        boolean[] inserted = new boolean[messages.size()];
        if (messages.isEmpty()) {
            return inserted;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO messages (id, organization_id, event_type, payload, channels, idempotency_key, created_at)
                VALUES (?, ?, ?, ?::json, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (NewMessage message : messages) {
                bindMessage(connection, insert, message, now);
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                inserted[i] = counts[i] == 1;
            }
            return inserted;
        }
    }

    private static void bindMessage(Connection connection, PreparedStatement insert, NewMessage message, Instant now)
            throws SQLException {
        insert.setObject(1, message.id());
        insert.setObject(2, message.organizationId());
        insert.setString(3, message.eventType());
        insert.setString(4, message.payload());
        insert.setArray(5, message.channels().isEmpty() ? null
                : connection.createArrayOf("text", message.channels().toArray()));
        insert.setString(6, message.idempotencyKey());
        insert.setTimestamp(7, Rows.timestamp(now));
    }

    /**
     * The enabled webhook endpoints of the messages' organizations subscribed to one of their
     * event types (or to every type), in id order; channels are matched per message.
     */
    private static List<Candidate> candidatesFor(Connection connection, List<NewMessage> messages)
            throws SQLException {
        if (messages.isEmpty()) {
            return List.of();
        }
        Set<UUID> organizations = new HashSet<>();
        Set<String> eventTypes = new HashSet<>();
        for (NewMessage message : messages) {
            organizations.add(message.organizationId());
            eventTypes.add(message.eventType());
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, organization_id, event_types, channels, payload_filter::text FROM endpoints
                WHERE organization_id = ANY(?::uuid[]) AND enabled AND kind = 'webhook'
                  AND (coalesce(cardinality(event_types), 0) = 0 OR event_types && ?::text[])
                ORDER BY id""")) {
            select.setArray(1, connection.createArrayOf("uuid", organizations.toArray()));
            select.setArray(2, connection.createArrayOf("text", eventTypes.toArray()));
            List<Candidate> candidates = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new Candidate(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            new Subscription(Rows.texts(rs, 3), Rows.texts(rs, 4), rs.getString(5))));
                }
            }
            return candidates;
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
