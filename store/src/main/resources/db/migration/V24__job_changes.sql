-- Every change of a job's state, recorded by the database itself in the transaction that makes
-- it, so no code path (present or future) can change a state without it being told. The change
-- relay moves these rows to sluice.events (job.state), where the stats topology counts them.
--
-- id is the change's version: two changes of one job are serialised by the job's row lock, so
-- the later one always draws the higher id, whatever order they are relayed in.
-- new_state NULL: the job is gone (deleted, or dropped by retention); old_state NULL: it is new,
-- or it came back through the parent table when retention dropped its day's partition.
CREATE TABLE job_changes (
    id              bigserial   PRIMARY KEY,
    job_id          uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    queue_name      text        NOT NULL,
    old_state       text,
    new_state       text,
    job_created_at  timestamptz NOT NULL,
    priority        integer     NOT NULL,
    attempts        integer     NOT NULL,
    last_error      text,       -- only for a job that failed for good: what the live streams show
    changed_at      timestamptz NOT NULL DEFAULT clock_timestamp()
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);

-- Statement triggers with transition tables: one INSERT ... SELECT per statement, not one per row
-- (a projector batch completes hundreds of jobs in one UPDATE).
CREATE FUNCTION record_jobs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_changes (job_id, organization_id, queue_name, old_state, new_state, job_created_at, priority,
                             attempts)
    SELECT n.id, n.organization_id, n.queue_name, NULL, n.state, n.created_at, n.priority, n.attempts
    FROM inserted n ORDER BY n.id;
    RETURN NULL;
END $$;

CREATE FUNCTION record_jobs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_changes (job_id, organization_id, queue_name, old_state, new_state, job_created_at, priority,
                             attempts, last_error)
    SELECT n.id, n.organization_id, n.queue_name, o.state, n.state, n.created_at, n.priority, n.attempts,
           CASE WHEN n.state IN ('deadletter', 'failed') THEN left(n.last_error, 1000) END
    FROM updated n JOIN replaced o ON o.id = n.id
    WHERE o.state IS DISTINCT FROM n.state OR o.queue_name IS DISTINCT FROM n.queue_name
    ORDER BY n.id;
    RETURN NULL;
END $$;

CREATE FUNCTION record_jobs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_changes (job_id, organization_id, queue_name, old_state, new_state, job_created_at, priority,
                             attempts)
    SELECT o.id, o.organization_id, o.queue_name, o.state, NULL, o.created_at, o.priority, o.attempts
    FROM deleted o ORDER BY o.id;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_inserted AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION record_jobs_inserted();
CREATE TRIGGER jobs_updated AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS replaced NEW TABLE AS updated FOR EACH STATEMENT EXECUTE FUNCTION record_jobs_updated();
CREATE TRIGGER jobs_deleted AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION record_jobs_deleted();

-- The jobs that exist already are announced once, so the stats start from every job, not only
-- from those that change after the upgrade.
INSERT INTO job_changes (job_id, organization_id, queue_name, old_state, new_state, job_created_at, priority, attempts)
SELECT id, organization_id, queue_name, NULL, state, created_at, priority, attempts FROM jobs ORDER BY id;
