-- Pausing a queue (queues.paused exists since V1): since when, and why.
ALTER TABLE queues ADD COLUMN paused_at timestamptz, ADD COLUMN pause_reason text;

-- Jobs of a paused queue that reached the outbox relay wait here instead of being published,
-- until the queue is resumed: then they go back to the outbox, in job order. The key's order is
-- the order resuming reads them in.
CREATE TABLE parked_jobs (
    organization_id uuid NOT NULL,
    queue_name      text NOT NULL,
    job_id          uuid NOT NULL,
    PRIMARY KEY (organization_id, queue_name, job_id)
);
