-- Cron schedules: each fire creates a job. next_run_at is the occurrence the schedule waits
-- for (null while paused or when the expression has no more).
CREATE TABLE schedules (
    id               uuid PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name             text        NOT NULL,
    description      text,
    cron_expression  text        NOT NULL,
    timezone         text        NOT NULL,
    queue_name       text        NOT NULL,
    endpoint_id      uuid,
    payload_template json        NOT NULL,
    priority         integer     NOT NULL,
    max_retries      integer,
    timeout_seconds  integer,
    tags             jsonb,
    metadata         jsonb,
    misfire_policy   text        NOT NULL CHECK (misfire_policy IN ('skip', 'catch_up', 'none')),
    overlap_policy   text        NOT NULL CHECK (overlap_policy IN ('allow', 'skip_if_running')),
    is_active        boolean     NOT NULL,
    next_run_at      timestamptz,
    last_run_at      timestamptz,
    last_job_id      uuid,
    run_count        bigint      NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX schedules_organization ON schedules (organization_id, id);
-- What the scheduler probes every few hundred milliseconds.
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE is_active AND next_run_at IS NOT NULL;

-- One row per occurrence handled (fired, skipped for overlap) or manual trigger. The unique
-- fire time is what makes two schedulers, or a restart, unable to fire one occurrence twice.
CREATE TABLE schedule_runs (
    id            uuid PRIMARY KEY,
    schedule_id   uuid        NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    fire_time     timestamptz NOT NULL,
    job_id        uuid,
    status        text        NOT NULL CHECK (status IN ('triggered', 'skipped')),
    error_message text,
    started_at    timestamptz NOT NULL,
    UNIQUE (schedule_id, fire_time)
);
