-- A job that goes back to waiting after a failed attempt (a worker's fail with retry, a lease
-- that expired) now carries its error too, so the live streams can say JobFailed with
-- will_retry = true and why; V24 kept the error only for jobs that failed for good.
CREATE OR REPLACE FUNCTION record_jobs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_changes (job_id, organization_id, queue_name, old_state, new_state, job_created_at, priority,
                             attempts, last_error)
    SELECT n.id, n.organization_id, n.queue_name, o.state, n.state, n.created_at, n.priority, n.attempts,
           CASE WHEN n.state IN ('deadletter', 'failed')
                     OR (o.state = 'processing' AND n.state IN ('pending', 'scheduled'))
                THEN left(n.last_error, 1000) END
    FROM updated n JOIN replaced o ON o.id = n.id
    WHERE o.state IS DISTINCT FROM n.state OR o.queue_name IS DISTINCT FROM n.queue_name
    ORDER BY n.id;
    RETURN NULL;
END $$;
