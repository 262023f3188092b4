package io.sluice.store;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.webhook.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Webhook endpoints. Every read and write is scoped to an organization. */
@Repository
public class EndpointStore {

    private static final String COLUMNS = """
            id, organization_id, url, description, secret, enabled, timeout_ms, rate_limit, max_concurrency,
            disabled_reason, disabled_at, failing_since, created_at, updated_at, retry_schedule, event_types, channels,
            payload_filter, previous_secret, previous_secret_until, headers, ordering, kind""";

    private final JdbcTemplate jdbc;

    public EndpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void create(Endpoint endpoint) {
        insert(endpoint, "");
    }

    /**
     * The organization's completion endpoint for {@code candidate}'s URL and secret: the one an
     * earlier job made (perhaps through another node), or {@code candidate}, written now. For jobs
     * that gave no secret, any endpoint of that URL with a secret Sluice generated will do (two
     * nodes may each make one at once; either serves).
     */
    public CompletionEndpoint completionEndpoint(Endpoint candidate) {
        if (candidate.kind() != Endpoint.Kind.COMPLETION) {
            throw new IllegalArgumentException("not a completion endpoint: " + candidate.kind());
        }
        if (Endpoint.SECRET_OF_SLUICE.equals(candidate.description())) {
            List<UUID> existing = jdbc.queryForList("""
                    SELECT id FROM endpoints WHERE organization_id = ? AND url = ? AND kind = 'completion'
                        AND description = ? ORDER BY id LIMIT 1""",
                    UUID.class, candidate.organizationId(), candidate.url(), Endpoint.SECRET_OF_SLUICE);
            if (!existing.isEmpty()) {
                return new CompletionEndpoint(existing.getFirst(), false);
            }
        }
        if (insert(candidate, " ON CONFLICT (organization_id, url, secret) WHERE kind = 'completion' DO NOTHING") == 1) {
            return new CompletionEndpoint(candidate.id(), true);
        }
        UUID existing = jdbc.queryForObject("""
                SELECT id FROM endpoints WHERE organization_id = ? AND url = ? AND secret = ? AND kind = 'completion'""",
                UUID.class, candidate.organizationId(), candidate.url(), candidate.signingKeys().current());
        return new CompletionEndpoint(existing, false);
    }

    /** @param created whether it was written just now (the delivery directory has yet to learn of it) */
    public record CompletionEndpoint(UUID id, boolean created) {
    }

    private int insert(Endpoint endpoint, String onConflict) {
        return jdbc.update("INSERT INTO endpoints (" + COLUMNS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?::jsonb, ?, ?, ?::jsonb, ?, ?)"
                        + onConflict,
                endpoint.id(), endpoint.organizationId(), endpoint.url(), endpoint.description(),
                endpoint.signingKeys().current(), endpoint.enabled(), endpoint.timeoutMs(), endpoint.limits().ratePerSecond(),
                endpoint.limits().maxConcurrency(), endpoint.disabledReason(), Rows.timestamp(endpoint.disabledAt()),
                Rows.timestamp(endpoint.failingSince()), Rows.timestamp(endpoint.createdAt()),
                Rows.timestamp(endpoint.updatedAt()), scheduleText(endpoint.retrySchedule()),
                textArray(endpoint.subscription().eventTypes()), textArray(endpoint.subscription().channels()),
                endpoint.subscription().payloadFilter(), endpoint.signingKeys().previous(),
                Rows.timestamp(endpoint.signingKeys().previousUntil()), Rows.textMapJson(endpoint.headers()),
                endpoint.ordering().wireName(), endpoint.kind().wireName());
    }

    /**
     * Writes an endpoint's settings and health as its owner changed them, as a new version
     * (see {@link EndpointPublicationStore}).
     *
     * @return false when there is no such endpoint in the organization
     */
    public boolean update(Endpoint endpoint) {
        return jdbc.update("""
                UPDATE endpoints SET url = ?, description = ?, enabled = ?, timeout_ms = ?, rate_limit = ?,
                    max_concurrency = ?, disabled_reason = ?, disabled_at = ?, failing_since = ?, updated_at = ?,
                    retry_schedule = ?, event_types = ?::text[], channels = ?::text[], payload_filter = ?::jsonb,
                    headers = ?::jsonb, ordering = ?, version = version + 1
                WHERE organization_id = ? AND id = ? AND deleted_at IS NULL""",
                endpoint.url(), endpoint.description(), endpoint.enabled(), endpoint.timeoutMs(),
                endpoint.limits().ratePerSecond(), endpoint.limits().maxConcurrency(), endpoint.disabledReason(),
                Rows.timestamp(endpoint.disabledAt()), Rows.timestamp(endpoint.failingSince()),
                Rows.timestamp(endpoint.updatedAt()), scheduleText(endpoint.retrySchedule()),
                textArray(endpoint.subscription().eventTypes()), textArray(endpoint.subscription().channels()),
                endpoint.subscription().payloadFilter(), Rows.textMapJson(endpoint.headers()),
                endpoint.ordering().wireName(), endpoint.organizationId(), endpoint.id()) == 1;
    }

    /**
     * Replaces the endpoint's signing keys with {@code rotated}, provided its current key is
     * still {@code replaced}: of two rotations at once, one wins and the other changes nothing.
     *
     * @return false when the endpoint is gone or its key changed meanwhile
     */
    public boolean rotateKeys(UUID organizationId, UUID id, String replaced, SigningKeys rotated, Instant now) {
        return jdbc.update("""
                UPDATE endpoints SET secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ?,
                    version = version + 1
                WHERE organization_id = ? AND id = ? AND deleted_at IS NULL AND secret = ?""",
                rotated.current(), rotated.previous(), Rows.timestamp(rotated.previousUntil()), Rows.timestamp(now),
                organizationId, id, replaced) == 1;
    }

    /**
     * Deletes an endpoint: it disappears from the API and from fan-out, and as a new, disabled
     * version it stops workers from sending its jobs still in flight. The row stays, so that
     * its jobs and their history keep the endpoint they were for.
     *
     * @return false when the organization has no such endpoint of that kind
     */
    public boolean delete(UUID organizationId, Endpoint.Kind kind, UUID id, Instant now) {
        return jdbc.update("""
                UPDATE endpoints SET deleted_at = ?, enabled = false, disabled_reason = 'endpoint deleted',
                    disabled_at = ?, updated_at = ?, version = version + 1
                WHERE organization_id = ? AND id = ? AND kind = ? AND deleted_at IS NULL""",
                Rows.timestamp(now), Rows.timestamp(now), Rows.timestamp(now), organizationId, id,
                kind.wireName()) == 1;
    }

    public Optional<Endpoint> get(UUID organizationId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM endpoints WHERE organization_id = ? AND id = ? AND deleted_at IS NULL",
                EndpointStore::endpoint, organizationId, id).stream().findFirst();
    }

    /** Oldest first, so paging with an offset is stable while endpoints are added. */
    public List<Endpoint> list(UUID organizationId, Endpoint.Kind kind, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM endpoints WHERE organization_id = ? AND kind = ?"
                        + " AND deleted_at IS NULL ORDER BY id LIMIT ? OFFSET ?",
                EndpointStore::endpoint, organizationId, kind.wireName(), limit, offset);
    }

    private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new Endpoint(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), new SigningKeys(rs.getString(5), rs.getString(19), Rows.instant(rs, 20)),
                rs.getBoolean(6), rs.getInt(7),
                new EndpointLimits(Rows.integer(rs, 8), Rows.integer(rs, 9)), schedule(rs.getString(15)),
                rs.getString(10), Rows.instant(rs, 11), Rows.instant(rs, 12), Rows.instant(rs, 13), Rows.instant(rs, 14),
                new Subscription(Rows.texts(rs, 16), Rows.texts(rs, 17), rs.getString(18)), Rows.textMap(rs, 21),
                Endpoint.Ordering.fromWireName(rs.getString(22)).orElseThrow(),
                Endpoint.Kind.fromWireName(rs.getString(23)));
    }

    static List<Duration> schedule(String text) {
        return text == null ? List.of() : RetrySchedule.durations(text);
    }

    /** A text[] literal ({@code {"a","b"}}), or null for an empty list; elements are plain names, no quotes inside. */
    private static String textArray(List<String> values) {
        return values.isEmpty() ? null : values.stream().map(v -> '"' + v + '"').collect(Collectors.joining(",", "{", "}"));
    }

    static String scheduleText(List<Duration> schedule) {
        return schedule.isEmpty() ? null : RetrySchedule.labels(schedule);
    }
}
