-- External workers (pull mode). A worker-mode job (no endpoint) goes through the outbox to
-- the work topic like a delivery; a claim leases it here, where the lease is fenced.

CREATE TABLE workers (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    queue_name      text        NOT NULL,
    hostname        text        NOT NULL,
    worker_type     text,
    max_concurrency integer     NOT NULL,
    current_jobs    integer     NOT NULL DEFAULT 0,
    status          text        NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    version         text,
    last_heartbeat  timestamptz NOT NULL,
    registered_at   timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX workers_organization ON workers (organization_id, registered_at);
-- The silent-worker sweep reads only workers not yet offline.
CREATE INDEX workers_heartbeat ON workers (last_heartbeat) WHERE status <> 'offline';

-- The lease of a claimed job: who holds it, its fencing token, until when. result: what the
-- worker reported on completion (JSON as sent).
ALTER TABLE jobs ADD COLUMN assigned_worker_id uuid;
ALTER TABLE jobs ADD COLUMN lease_id uuid;
ALTER TABLE jobs ADD COLUMN lease_expires_at timestamptz;
ALTER TABLE jobs ADD COLUMN result json;
CREATE INDEX jobs_lease_expiry ON jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX jobs_assigned_worker ON jobs (assigned_worker_id) WHERE assigned_worker_id IS NOT NULL;

-- Worker-mode jobs accepted before this release waited only in this table: feed them.
INSERT INTO outbox (job_id) SELECT id FROM jobs WHERE endpoint_id IS NULL AND state = 'pending' ORDER BY id;
