-- Tenancy and access: deleting an organization retires it (its keys, sessions and endpoints
-- stop at once) rather than erasing rows that in-flight deliveries still refer to.
ALTER TABLE organizations ADD COLUMN deleted_at timestamptz;

-- A login with an API key. The refresh token is random and kept only as its SHA-256;
-- access tokens (JWTs) name their session, so logging out or retiring the key ends them.
CREATE TABLE auth_sessions (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    api_key_id      uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    refresh_hash    bytea       NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz
);
CREATE INDEX auth_sessions_api_key ON auth_sessions (api_key_id);
