package io.sluice.store;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What attempts say about their endpoints: since when every attempt has failed, and when an
 * endpoint is to be disabled (the receiver answered 410 Gone, or every attempt failed for
 * longer than allowed). Idempotent like the rest of the projection: a batch applied twice
 * leaves the same rows. Endpoints whose health did not change are not written.
 *
 * <p>Completion endpoints are never disabled: nobody sees them to enable them again, and one
 * bad hour of a receiver would silence the callbacks of every later job naming it. Each
 * callback is retried and dead-lettered on its own instead.
 */
@Repository
public class EndpointHealthStore {

    static final String GONE_REASON = "the receiver answered 410 Gone";

    /** What an {@code endpoint.disabled} event says, as the disabling update returns it. */
    private static final String DISABLED = "id, organization_id, url, disabled_reason, disabled_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SystemEventStore systemEvents;

    public EndpointHealthStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, SystemEventStore systemEvents) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.systemEvents = systemEvents;
    }

    /** Health of one endpoint after a batch: the failures since its last success in it. */
    private static final class Tally {
        boolean succeeded;
        Instant firstFailureSinceSuccess;
        boolean gone;
    }

    /**
     * @param attempts           attempts in the order they were made (per job), as the events came
     * @param disableFailingAfter disable an endpoint whose every attempt failed for this long
     */
    public void recordOutcomes(List<AttemptRecorded> attempts, Duration disableFailingAfter) {
        Map<UUID, Tally> tallies = new LinkedHashMap<>();
        for (AttemptRecorded attempt : attempts) {
            if (attempt.endpointId() == null) {
                continue;
            }
            Tally tally = tallies.computeIfAbsent(attempt.endpointId(), id -> new Tally());
            if (attempt.delivered()) {
                tally.succeeded = true;
                tally.firstFailureSinceSuccess = null;
            } else if (tally.firstFailureSinceSuccess == null
                    || attempt.startedAt().isBefore(tally.firstFailureSinceSuccess)) {
                tally.firstFailureSinceSuccess = attempt.startedAt();
            }
            tally.gone |= attempt.disablesEndpoint();
        }
        if (tallies.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) connection -> {
            updateFailingSince(connection, tallies);
            List<SystemEvent> disabled = new ArrayList<>(disableGone(connection, tallies, now));
            disabled.addAll(disableFailing(connection, tallies.keySet(), now, disableFailingAfter));
            systemEvents.publishWithin(connection, disabled, now);
            return null;
        }));
    }

    /**
     * A success in the batch restarts the count from the first failure after it (or clears
     * it); failures alone start it only when none is running.
     */
    private static void updateFailingSince(Connection connection, Map<UUID, Tally> tallies) throws SQLException {
        int n = tallies.size();
        UUID[] ids = new UUID[n];
        String[] since = new String[n];
        Boolean[] restart = new Boolean[n];
        int i = 0;
        for (Map.Entry<UUID, Tally> entry : tallies.entrySet()) {
            ids[i] = entry.getKey();
            Instant first = entry.getValue().firstFailureSinceSuccess;
            since[i] = first == null ? null : first.toString();
            restart[i++] = entry.getValue().succeeded;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE endpoints e
                SET failing_since = CASE WHEN x.r THEN x.f::timestamptz ELSE coalesce(e.failing_since, x.f::timestamptz) END
                FROM unnest(?::uuid[], ?::text[], ?::bool[]) AS x(i, f, r)
                WHERE e.id = x.i AND e.failing_since IS DISTINCT FROM
                      (CASE WHEN x.r THEN x.f::timestamptz ELSE coalesce(e.failing_since, x.f::timestamptz) END)""")) {
            update.setArray(1, connection.createArrayOf("uuid", ids));
            update.setArray(2, connection.createArrayOf("text", since));
            update.setArray(3, connection.createArrayOf("bool", restart));
            update.executeUpdate();
        }
    }

    private static List<SystemEvent> disableGone(Connection connection, Map<UUID, Tally> tallies, Instant now)
            throws SQLException {
        List<UUID> gone = new ArrayList<>();
        tallies.forEach((id, tally) -> {
            if (tally.gone) {
                gone.add(id);
            }
        });
        if (gone.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE endpoints SET enabled = false, disabled_reason = ?, disabled_at = ?, updated_at = ?, version = version + 1
                WHERE id = ANY(?::uuid[]) AND enabled AND kind <> 'completion'
                RETURNING
                """ + DISABLED)) {
            update.setString(1, GONE_REASON);
            update.setTimestamp(2, Timestamp.from(now));
            update.setTimestamp(3, Timestamp.from(now));
            update.setArray(4, connection.createArrayOf("uuid", gone.toArray(UUID[]::new)));
            return disabledEvents(update);
        }
    }

    private static List<SystemEvent> disableFailing(Connection connection, java.util.Set<UUID> endpoints,
                                                    Instant now, Duration after) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE endpoints
                SET enabled = false, disabled_at = ?, updated_at = ?, version = version + 1,
                    disabled_reason = 'every attempt failed since '
                        || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                        || ' (endpoints are disabled after ' || ? || ' of failures)'
                WHERE id = ANY(?::uuid[]) AND enabled AND failing_since <= ? AND kind <> 'completion'
                RETURNING
                """ + DISABLED)) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setTimestamp(2, Timestamp.from(now));
            update.setString(3, after.toString().substring(2).toLowerCase());
            update.setArray(4, connection.createArrayOf("uuid", endpoints.toArray(UUID[]::new)));
            update.setTimestamp(5, Timestamp.from(now.minus(after)));
            return disabledEvents(update);
        }
    }

    private static List<SystemEvent> disabledEvents(PreparedStatement update) throws SQLException {
        List<SystemEvent> events = new ArrayList<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                UUID endpoint = rs.getObject(1, UUID.class);
                Instant at = Rows.instant(rs, 5);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("endpoint_id", endpoint.toString());
                data.put("url", rs.getString(3));
                data.put("reason", rs.getString(4));
                data.put("disabled_at", at.toString());
                events.add(new SystemEvent(SystemEventType.ENDPOINT_DISABLED, rs.getObject(2, UUID.class), endpoint,
                        at, data));
            }
        }
        return events;
    }
}
