package io.sluice.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** API keys of organizations: only their SHA-256 is kept. Every read and write but the lookup by hash is scoped. */
@Repository
public class ApiKeyStore {

    private static final String COLUMNS =
            "id, organization_id, name, queues, rate_limit, is_active, created_at, last_used, expires_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ApiKeyStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    public ApiKey create(NewApiKey key) {
        jdbc.update("""
                INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, queues, rate_limit, expires_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?::text[], ?, ?, ?)""",
                key.id(), key.organizationId(), key.name(), key.keyHash(), key.keyPrefix(),
                key.queues().toArray(String[]::new), key.rateLimit(), Rows.timestamp(key.expiresAt()),
                Rows.timestamp(key.createdAt()));
        return new ApiKey(key.id(), key.organizationId(), key.name(), key.queues(), key.rateLimit(), true,
                key.createdAt(), null, key.expiresAt());
    }

    /** Oldest first. */
    public List<ApiKey> list(UUID organizationId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE organization_id = ? ORDER BY created_at, id",
                ApiKeyStore::apiKey, organizationId);
    }

    public Optional<ApiKey> get(UUID organizationId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE organization_id = ? AND id = ?",
                ApiKeyStore::apiKey, organizationId, id).stream().findFirst();
    }

    /**
     * Changes a key's name, scope, rate limit, activity or expiry; the row is locked while
     * {@code change} runs, so concurrent partial updates all apply.
     *
     * @return the key as stored, or empty when the organization has no such key
     */
    public Optional<ApiKey> update(UUID organizationId, UUID id, UnaryOperator<ApiKey> change) {
        return tx.execute(status -> {
            Optional<ApiKey> current = jdbc.query(
                    "SELECT " + COLUMNS + " FROM api_keys WHERE organization_id = ? AND id = ? FOR UPDATE",
                    ApiKeyStore::apiKey, organizationId, id).stream().findFirst();
            return current.map(key -> {
                ApiKey changed = change.apply(key);
                jdbc.update("""
                        UPDATE api_keys SET name = ?, queues = ?::text[], rate_limit = ?, is_active = ?, expires_at = ?
                        WHERE organization_id = ? AND id = ?""",
                        changed.name(), changed.queues().toArray(String[]::new), changed.rateLimit(), changed.active(),
                        Rows.timestamp(changed.expiresAt()), organizationId, id);
                return changed;
            });
        });
    }

    /** Deletes the key (its login sessions go with it). */
    public boolean delete(UUID organizationId, UUID id) {
        return jdbc.update("DELETE FROM api_keys WHERE organization_id = ? AND id = ?", organizationId, id) == 1;
    }

    public int count(UUID organizationId) {
        return jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE organization_id = ? AND is_active",
                Integer.class, organizationId);
    }

    public Optional<ApiKeyOwner> findOwner(byte[] keyHash) {
        return jdbc.query("""
                SELECT organization_id, id, is_active, expires_at, queues, rate_limit FROM api_keys WHERE key_hash = ?""",
                ApiKeyStore::owner, (Object) keyHash).stream().findFirst();
    }

    /** The owner of the key a login session was opened with, or empty when the session ended. */
    public Optional<ApiKeyOwner> findOwnerOfSession(UUID sessionId, Instant now) {
        return jdbc.query("""
                SELECT k.organization_id, k.id, k.is_active, k.expires_at, k.queues, k.rate_limit
                FROM auth_sessions s JOIN api_keys k ON k.id = s.api_key_id
                WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ?""",
                ApiKeyStore::owner, sessionId, Rows.timestamp(now)).stream().findFirst();
    }

    /** Records that the key was used; callers throttle this, it is a write. */
    public void touch(UUID id, Instant at) {
        jdbc.update("UPDATE api_keys SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)",
                Rows.timestamp(at), id, Rows.timestamp(at));
    }

    private static ApiKeyOwner owner(ResultSet rs, int row) throws SQLException {
        return new ApiKeyOwner(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getBoolean(3),
                Rows.instant(rs, 4), queues(rs, 5), Rows.integer(rs, 6));
    }

    private static ApiKey apiKey(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), queues(rs, 4),
                Rows.integer(rs, 5), rs.getBoolean(6), Rows.instant(rs, 7), Rows.instant(rs, 8), Rows.instant(rs, 9));
    }

    private static List<String> queues(ResultSet rs, int column) throws SQLException {
        return Arrays.asList((String[]) rs.getArray(column).getArray());
    }
}
