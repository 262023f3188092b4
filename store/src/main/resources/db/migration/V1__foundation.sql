-- Sluice foundation schema. Migrations are only ever added, never edited.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    slug        text        NOT NULL UNIQUE,
    plan_tier   text        NOT NULL DEFAULT 'free',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Only a SHA-256 of each key is kept; the key itself is shown once, at creation.
CREATE TABLE api_keys (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    key_hash        bytea       NOT NULL UNIQUE,
    key_prefix      text        NOT NULL,
    queues          text[]      NOT NULL DEFAULT '{}',
    rate_limit      integer,
    is_active       boolean     NOT NULL DEFAULT true,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL,
    last_used       timestamptz
);
CREATE INDEX api_keys_organization ON api_keys (organization_id);

CREATE TABLE queues (
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    paused          boolean     NOT NULL DEFAULT false,
    max_retries     integer,
    default_timeout integer,
    rate_limit      integer,
    enabled         boolean     NOT NULL DEFAULT true,
    settings        jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, name)
);

CREATE TABLE endpoints (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url             text        NOT NULL,
    description     text,
    secret          text        NOT NULL,
    enabled         boolean     NOT NULL DEFAULT true,
    timeout_ms      integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX endpoints_organization ON endpoints (organization_id, id);

-- Jobs and attempts are range-partitioned by their UUIDv7 id (time-ordered), so the
-- primary key stays "id" and retention drops whole partitions. Daily partitions are
-- created ahead by the application; the default partition means an insert never fails
-- for want of one.
CREATE TABLE jobs (
    id              uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    queue_name      text        NOT NULL,
    state           text        NOT NULL,
    payload         json        NOT NULL, -- json, not jsonb: the bytes a client sent are the bytes delivered and signed
    endpoint_id     uuid,
    priority        integer     NOT NULL DEFAULT 0,
    max_retries     integer     NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    timeout_seconds integer,
    idempotency_key text,
    tags            jsonb,
    scheduled_at    timestamptz,
    expires_at      timestamptz,
    started_at      timestamptz,
    completed_at    timestamptz,
    last_error      text,
    last_status_code integer,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (id)
) PARTITION BY RANGE (id);
CREATE TABLE jobs_default PARTITION OF jobs DEFAULT;
CREATE INDEX jobs_organization_newest ON jobs (organization_id, id DESC);
CREATE INDEX jobs_organization_queue_state ON jobs (organization_id, queue_name, state);

CREATE TABLE attempts (
    id               uuid        NOT NULL,
    job_id           uuid        NOT NULL,
    organization_id  uuid        NOT NULL,
    endpoint_id      uuid,
    started_at       timestamptz NOT NULL,
    duration_ms      bigint      NOT NULL,
    status_code      integer,
    response_excerpt text,
    error_class      text,
    error            text,
    worker           text,
    PRIMARY KEY (id)
) PARTITION BY RANGE (id);
CREATE TABLE attempts_default PARTITION OF attempts DEFAULT;
CREATE INDEX attempts_job ON attempts (job_id, started_at);

-- Idempotency keys live apart from the partitioned jobs table: a unique index there would
-- have to include the partition key. Scope: the organization.
CREATE TABLE idempotency_keys (
    organization_id uuid        NOT NULL,
    key             text        NOT NULL,
    job_id          uuid        NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, key)
);

-- The transactional outbox: one row per job to publish. Rows are claimed and deleted in
-- the relay's transaction, which commits only after Kafka acknowledged every record.
CREATE TABLE outbox (
    id     bigserial PRIMARY KEY,
    job_id uuid NOT NULL
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
