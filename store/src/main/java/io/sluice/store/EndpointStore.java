package io.sluice.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Webhook endpoints. Every read is scoped to an organization. */
@Repository
public class EndpointStore {

    private static final String COLUMNS =
            "id, organization_id, url, description, secret, enabled, timeout_ms, created_at, updated_at";

    private final JdbcTemplate jdbc;

    public EndpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void create(Endpoint endpoint) {
        jdbc.update("INSERT INTO endpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                endpoint.id(), endpoint.organizationId(), endpoint.url(), endpoint.description(),
                endpoint.secret(), endpoint.enabled(), endpoint.timeoutMs(),
                Rows.timestamp(endpoint.createdAt()), Rows.timestamp(endpoint.updatedAt()));
    }

    public Optional<Endpoint> get(UUID organizationId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM endpoints WHERE organization_id = ? AND id = ?",
                EndpointStore::endpoint, organizationId, id).stream().findFirst();
    }

    /** Oldest first, so paging with an offset is stable while endpoints are added. */
    public List<Endpoint> list(UUID organizationId, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM endpoints WHERE organization_id = ? ORDER BY id LIMIT ? OFFSET ?",
                EndpointStore::endpoint, organizationId, limit, offset);
    }

    private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new Endpoint(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getInt(7),
                Rows.instant(rs, 8), Rows.instant(rs, 9));
    }
}
