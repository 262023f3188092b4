package io.sluice.store;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Organizations and their API keys. */
@Repository
public class OrganizationStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public OrganizationStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** @return false when the slug is taken (nothing is written then) */
    public boolean createWithKey(NewOrganization org) {
        try {
            tx.executeWithoutResult(status -> {
                Timestamp at = Timestamp.from(org.createdAt());
                jdbc.update("""
                        INSERT INTO organizations (id, name, slug, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?)""", org.id(), org.name(), org.slug(), at, at);
                jdbc.update("""
                        INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)""",
                        org.apiKeyId(), org.id(), org.apiKeyName(), org.apiKeyHash(), org.apiKeyPrefix(), at);
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<Organization> get(java.util.UUID id) {
        List<Organization> rows = jdbc.query("""
                SELECT id, name, slug, plan_tier, created_at FROM organizations WHERE id = ?""",
                (rs, n) -> new Organization(rs.getObject(1, java.util.UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant()),
                id);
        return rows.stream().findFirst();
    }

    public Optional<ApiKeyOwner> findKeyOwner(byte[] keyHash) {
        List<ApiKeyOwner> rows = jdbc.query("""
                SELECT organization_id, id, is_active, expires_at FROM api_keys WHERE key_hash = ?""",
                (rs, n) -> new ApiKeyOwner(rs.getObject(1, java.util.UUID.class), rs.getObject(2, java.util.UUID.class),
                        rs.getBoolean(3), Rows.instant(rs, 4)),
                (Object) keyHash);
        return rows.stream().findFirst();
    }
}
