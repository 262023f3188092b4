package io.sluice.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Login sessions (JWT auth). A session ends when it expires, is logged out, or its key is deleted. */
@Repository
public class AuthSessionStore {

    private final JdbcTemplate jdbc;

    public AuthSessionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void open(AuthSession session, byte[] refreshHash) {
        jdbc.update("""
                INSERT INTO auth_sessions (id, organization_id, api_key_id, refresh_hash, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""",
                session.id(), session.organizationId(), session.apiKeyId(), refreshHash,
                Rows.timestamp(session.createdAt()), Rows.timestamp(session.expiresAt()));
    }

    /** The live session of that refresh token, or empty when it is unknown, logged out or expired. */
    public Optional<AuthSession> findByRefreshToken(byte[] refreshHash, Instant now) {
        return jdbc.query("""
                SELECT id, organization_id, api_key_id, created_at, expires_at FROM auth_sessions
                WHERE refresh_hash = ? AND revoked_at IS NULL AND expires_at > ?""",
                (rs, n) -> new AuthSession(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), Rows.instant(rs, 4), Rows.instant(rs, 5)),
                refreshHash, Rows.timestamp(now)).stream().findFirst();
    }

    /** Logs the session out; saying it twice changes nothing. */
    public void revoke(UUID sessionId, Instant now) {
        jdbc.update("UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                Rows.timestamp(now), sessionId);
    }
}
