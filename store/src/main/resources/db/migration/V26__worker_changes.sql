-- What external workers do, for the live streams (WorkerRegistered, WorkerHeartbeat,
-- WorkerDeregistered): recorded by the database in the transaction that makes the change, like
-- job_changes (V24), whatever path made it (REST, gRPC, the silent-worker sweep), and moved to
-- sluice.events (worker.change) by the worker change relay.
--
-- kind: registered (a new worker), heartbeat (it beat; also how an offline worker comes back),
-- deregistered (it went offline: deregistered, or silent for too long).
CREATE TABLE worker_changes (
    id              bigserial   PRIMARY KEY,
    worker_id       uuid        NOT NULL,
    organization_id uuid        NOT NULL,
    queue_name      text        NOT NULL,
    hostname        text        NOT NULL,
    kind            text        NOT NULL,
    status          text        NOT NULL,
    current_jobs    integer     NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT clock_timestamp()
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);

CREATE FUNCTION record_workers_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO worker_changes (worker_id, organization_id, queue_name, hostname, kind, status, current_jobs)
    SELECT n.id, n.organization_id, n.queue_name, n.hostname, 'registered', n.status, n.current_jobs
    FROM inserted n ORDER BY n.id;
    RETURN NULL;
END $$;

CREATE FUNCTION record_workers_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO worker_changes (worker_id, organization_id, queue_name, hostname, kind, status, current_jobs)
    SELECT n.id, n.organization_id, n.queue_name, n.hostname,
           CASE WHEN n.status = 'offline' THEN 'deregistered' ELSE 'heartbeat' END, n.status, n.current_jobs
    FROM updated n JOIN replaced o ON o.id = n.id
    WHERE (n.status = 'offline' AND o.status <> 'offline')
       OR (n.status <> 'offline' AND n.last_heartbeat IS DISTINCT FROM o.last_heartbeat)
    ORDER BY n.id;
    RETURN NULL;
END $$;

CREATE TRIGGER workers_inserted AFTER INSERT ON workers
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION record_workers_inserted();
CREATE TRIGGER workers_updated AFTER UPDATE ON workers
    REFERENCING OLD TABLE AS replaced NEW TABLE AS updated FOR EACH STATEMENT EXECUTE FUNCTION record_workers_updated();
