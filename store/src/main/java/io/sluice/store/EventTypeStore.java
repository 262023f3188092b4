package io.sluice.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Event types, scoped to their organization. */
@Repository
public class EventTypeStore {

    private static final String COLUMNS = "organization_id, name, description, schema::text, created_at, updated_at";

    private final JdbcTemplate jdbc;

    public EventTypeStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the organization already has an event type of that name */
    public boolean create(EventType type) {
        return jdbc.update("""
                INSERT INTO event_types (organization_id, name, description, schema, created_at, updated_at)
                VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (organization_id, name) DO NOTHING""",
                type.organizationId(), type.name(), type.description(), type.schema(),
                Rows.timestamp(type.createdAt()), Rows.timestamp(type.updatedAt())) == 1;
    }

    public Optional<EventType> get(UUID organizationId, String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM event_types WHERE organization_id = ? AND name = ?",
                EventTypeStore::eventType, organizationId, name).stream().findFirst();
    }

    /** By name, so paging with an offset is stable. */
    public List<EventType> list(UUID organizationId, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM event_types WHERE organization_id = ? ORDER BY name LIMIT ? OFFSET ?",
                EventTypeStore::eventType, organizationId, limit, offset);
    }

    private static EventType eventType(ResultSet rs, int row) throws SQLException {
        return new EventType(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                Rows.instant(rs, 5), Rows.instant(rs, 6));
    }
}
