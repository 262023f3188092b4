-- Workflows (DAGs of jobs) and job dependencies.
--
-- A job waiting for its dependencies is 'scheduled' with neither a scheduled_jobs nor an outbox
-- row. The transaction that ends one of its dependencies (completed, dead-lettered, cancelled)
-- decides for it: released to the outbox, cancelled, or left waiting (DependencyStore).
--
-- A workflow's status and progress are not stored: they are counted from its jobs' states when
-- read, so they can never disagree with them. Only a user's cancel is recorded.
CREATE TABLE workflows (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    description     text,
    metadata        jsonb,
    total_jobs      integer     NOT NULL,
    cancelled_at    timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX workflows_organization ON workflows (organization_id, id);

-- A job's place in its workflow, under the key the workflow's request gave it.
CREATE TABLE workflow_jobs (
    job_id      uuid PRIMARY KEY,
    workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    key         text NOT NULL,
    UNIQUE (workflow_id, key)
);

-- A job that has dependencies: how it waits for them and where that stands. 'waiting' until
-- they are met ('met', the job released) or can no longer be ('failed', the job cancelled; a
-- retry of its workflow makes it wait again).
CREATE TABLE dependent_jobs (
    job_id          uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    dependency_mode text NOT NULL CHECK (dependency_mode IN ('all', 'any')),
    dependencies    text NOT NULL CHECK (dependencies IN ('waiting', 'met', 'failed'))
);

CREATE TABLE job_dependencies (
    job_id            uuid NOT NULL REFERENCES dependent_jobs (job_id) ON DELETE CASCADE,
    depends_on_job_id uuid NOT NULL,
    PRIMARY KEY (job_id, depends_on_job_id)
);
-- What the end of every job probes: whether anything waits for it.
CREATE INDEX job_dependencies_dependency ON job_dependencies (depends_on_job_id);
