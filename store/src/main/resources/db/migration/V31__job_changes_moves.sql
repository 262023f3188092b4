-- Each change now says where the job was and since when, so a reader can count it from the
-- change alone: the stats add up the moves of whole sets (old state and queue out, new ones in)
-- instead of remembering every job's newest state to tell what a change moved.
--
-- old_queue_names: the queue before (NULL as a whole for new jobs, and for gone ones, which
-- leave the queue they are in). old_sinces: when the job entered its old state; new_sinces:
-- when it entered its new one (the jobs' updated_at, the time every state change stamps). A
-- pending job stamped anew without changing state (a failed attempt to be retried, its
-- priority raised) is recorded as a change from pending to pending, so the time it is counted
-- as waiting since is always the one it will leave with.
--
-- The rows waiting at the upgrade have none of these: their readers take the queue as
-- unchanged and the times as unknown.
ALTER TABLE job_changes
    ADD COLUMN old_queue_names text[],
    ADD COLUMN old_sinces timestamptz[],
    ADD COLUMN new_sinces timestamptz[];
ALTER TABLE job_changes
    ALTER COLUMN old_sinces SET STORAGE EXTERNAL,
    ALTER COLUMN new_sinces SET STORAGE EXTERNAL;

CREATE OR REPLACE FUNCTION record_jobs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_changes (changes, job_ids, organization_ids, queue_names, new_states, job_created_ats,
                             priorities, attempts, new_sinces)
    SELECT count(*), array_agg(id), array_agg(organization_id), array_agg(queue_name), array_agg(state),
           array_agg(created_at), array_agg(priority), array_agg(attempts), array_agg(updated_at)
    FROM (SELECT n.id, n.organization_id, n.queue_name, n.state, n.created_at, n.priority, n.attempts, n.updated_at,
                 (row_number() OVER () - 1) / 1000 AS chunk
          FROM inserted n) c
    GROUP BY chunk;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION record_jobs_updated() RETURNS trigger LANGUAGE plpgsql
    SET enable_nestloop = off AS $$
BEGIN
    INSERT INTO job_changes (changes, job_ids, organization_ids, queue_names, old_states, new_states,
                             job_created_ats, priorities, attempts, last_errors, old_queue_names, old_sinces,
                             new_sinces)
    SELECT count(*), array_agg(id), array_agg(organization_id), array_agg(queue_name), array_agg(old_state),
           array_agg(state), array_agg(created_at), array_agg(priority), array_agg(attempts), array_agg(last_error),
           array_agg(old_queue_name), array_agg(old_since), array_agg(updated_at)
    FROM (SELECT n.id, n.organization_id, n.queue_name, o.state AS old_state, n.state, n.created_at, n.priority,
                 n.attempts,
                 CASE WHEN n.state IN ('deadletter', 'failed')
                           OR (o.state = 'processing' AND n.state IN ('pending', 'scheduled'))
                      THEN left(n.last_error, 1000) END AS last_error,
                 o.queue_name AS old_queue_name, o.updated_at AS old_since, n.updated_at,
                 (row_number() OVER () - 1) / 1000 AS chunk
          FROM updated n JOIN replaced o ON o.id = n.id
          WHERE o.state IS DISTINCT FROM n.state OR o.queue_name IS DISTINCT FROM n.queue_name
             OR (n.state = 'pending' AND o.updated_at IS DISTINCT FROM n.updated_at)) c
    GROUP BY chunk;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION record_jobs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_changes (changes, job_ids, organization_ids, queue_names, old_states, job_created_ats,
                             priorities, attempts, old_sinces)
    SELECT count(*), array_agg(id), array_agg(organization_id), array_agg(queue_name), array_agg(state),
           array_agg(created_at), array_agg(priority), array_agg(attempts), array_agg(updated_at)
    FROM (SELECT o.id, o.organization_id, o.queue_name, o.state, o.created_at, o.priority, o.attempts, o.updated_at,
                 (row_number() OVER () - 1) / 1000 AS chunk
          FROM deleted o) c
    GROUP BY chunk;
    RETURN NULL;
END $$;
