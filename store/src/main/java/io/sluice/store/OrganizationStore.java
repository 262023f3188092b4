package io.sluice.store;

import io.sluice.core.job.Uuid7;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Organizations. A deleted organization is retired, not erased: its keys, sessions and
 * endpoints end at once (so nothing more is accepted or delivered for it), its slug stays taken.
 */
@Repository
public class OrganizationStore {

    private static final String COLUMNS = "id, name, slug, plan_tier, created_at, updated_at";

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

    public Optional<Organization> get(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM organizations WHERE id = ? AND deleted_at IS NULL",
                OrganizationStore::organization, id).stream().findFirst();
    }

    /** Every organization not deleted, oldest first (operators only). */
    public List<Organization> list(int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM organizations WHERE deleted_at IS NULL ORDER BY created_at, id"
                + " LIMIT ? OFFSET ?", OrganizationStore::organization, limit, offset);
    }

    /** Whether the slug is taken, by a live or a deleted organization. */
    public boolean slugTaken(String slug) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT exists (SELECT 1 FROM organizations WHERE slug = ?)",
                Boolean.class, slug));
    }

    /**
     * Renames the organization (a null part is kept).
     *
     * @return the organization as stored; empty when there is none; a taken slug throws {@link DuplicateKeyException}
     */
    public Optional<Organization> rename(UUID id, String name, String slug, Instant now) {
        return jdbc.query("""
                UPDATE organizations SET name = coalesce(?, name), slug = coalesce(?, slug), updated_at = ?
                WHERE id = ? AND deleted_at IS NULL RETURNING""" + " " + COLUMNS,
                OrganizationStore::organization, name, slug, Rows.timestamp(now), id).stream().findFirst();
    }

    /**
     * Retires the organization: its keys stop authenticating, its login sessions end and its
     * endpoints are deleted (undelivered jobs to them are dead-lettered "endpoint deleted").
     *
     * @return false when there is no such live organization
     */
    public boolean retire(UUID id, Instant now) {
        Timestamp at = Rows.timestamp(now);
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (jdbc.update("UPDATE organizations SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                    at, at, id) == 0) {
                return false;
            }
            jdbc.update("UPDATE api_keys SET is_active = false WHERE organization_id = ?", id);
            jdbc.update("UPDATE auth_sessions SET revoked_at = ? WHERE organization_id = ? AND revoked_at IS NULL",
                    at, id);
            jdbc.update("""
                    UPDATE endpoints SET deleted_at = ?, enabled = false, disabled_reason = 'endpoint deleted',
                        disabled_at = ?, updated_at = ?, version = version + 1
                    WHERE organization_id = ? AND deleted_at IS NULL""", at, at, at, id);
            return true;
        }));
    }

    /** @param dayStart jobs created since then count as today's */
    /** @return the organization's incoming-webhook token; empty when it has none (or is gone) */
    public Optional<String> webhookToken(UUID id) {
        return jdbc.query("SELECT webhook_token FROM organizations WHERE id = ? AND deleted_at IS NULL AND webhook_token IS NOT NULL",
                (rs, n) -> rs.getString(1), id).stream().findFirst();
    }

    /**
     * Sets the organization's incoming-webhook token, replacing any earlier one; null clears it.
     *
     * @return false when there is no such organization
     */
    public boolean setWebhookToken(UUID id, String token) {
        return jdbc.update("UPDATE organizations SET webhook_token = ? WHERE id = ? AND deleted_at IS NULL", token, id) == 1;
    }

    public OrganizationUsage usage(UUID id, Instant dayStart) {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM jobs WHERE organization_id = ? AND id >= ?),
                       (SELECT count(*) FROM jobs WHERE organization_id = ?
                            AND state IN ('pending', 'scheduled', 'processing')),
                       (SELECT count(*) FROM queues WHERE organization_id = ?),
                       (SELECT count(*) FROM workers WHERE organization_id = ? AND status <> 'offline'),
                       (SELECT count(*) FROM api_keys WHERE organization_id = ? AND is_active),
                       (SELECT count(*) FROM schedules WHERE organization_id = ?),
                       (SELECT count(*) FROM workflows WHERE organization_id = ?),
                       (SELECT count(*) FROM endpoints WHERE organization_id = ? AND deleted_at IS NULL
                            AND kind <> 'completion')""",
                (rs, n) -> new OrganizationUsage(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)),
                id, Uuid7.lowerBound(dayStart), id, id, id, id, id, id, id);
    }

    private static Organization organization(ResultSet rs, int row) throws SQLException {
        return new Organization(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                Rows.instant(rs, 5), Rows.instant(rs, 6));
    }
}
