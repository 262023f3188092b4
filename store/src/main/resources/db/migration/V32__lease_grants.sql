-- Leases are found through their grants instead of indexes on jobs: jobs_lease_expiry and
-- jobs_assigned_worker made every claim and every completion a non-HOT update (both change
-- lease_expires_at), which put a new entry into each of the jobs' indexes and a whole new copy
-- of the row, payload and all, into the WAL, twice per job.
--
-- A grant is one row per claim (or extension): the jobs leased to a worker and when those
-- leases run out. jobs stays the truth of every lease (worker, token, expiry); a grant only says
-- where to look. Completing a job leaves its grant alone: the lease reaper drops a grant once it
-- expires, taking back those of its jobs whose own lease has run out by then.
CREATE TABLE lease_grants (
    id         bigserial   PRIMARY KEY,
    worker_id  uuid        NOT NULL,
    expires_at timestamptz NOT NULL,
    job_ids    uuid[]      NOT NULL
);
CREATE INDEX lease_grants_expiry ON lease_grants (expires_at);
CREATE INDEX lease_grants_worker ON lease_grants (worker_id);

INSERT INTO lease_grants (worker_id, expires_at, job_ids)
SELECT assigned_worker_id, lease_expires_at, array_agg(id ORDER BY id)
FROM jobs
WHERE state = 'processing' AND lease_expires_at IS NOT NULL AND assigned_worker_id IS NOT NULL
GROUP BY assigned_worker_id, lease_expires_at;

DROP INDEX jobs_lease_expiry;
DROP INDEX jobs_assigned_worker;
