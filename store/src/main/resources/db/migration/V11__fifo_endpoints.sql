-- ordering 'fifo': the endpoint's jobs are delivered one at a time, in acceptance order.
ALTER TABLE endpoints ADD COLUMN ordering text NOT NULL DEFAULT 'none'
    CHECK (ordering IN ('none', 'fifo'));

-- Jobs of FIFO endpoints wait here instead of in the outbox until it is their turn; seq is
-- their acceptance order (rows of one commit in the order they were accepted).
CREATE TABLE fifo_queue (
    seq         bigserial PRIMARY KEY,
    job_id      uuid NOT NULL UNIQUE,
    endpoint_id uuid NOT NULL
);
CREATE INDEX fifo_queue_endpoint_order ON fifo_queue (endpoint_id, seq);

-- The one job of each FIFO endpoint released to the outbox and not yet in a final state:
-- the primary key is what keeps a second one from being released meanwhile.
CREATE TABLE fifo_in_flight (
    endpoint_id uuid PRIMARY KEY,
    job_id      uuid NOT NULL
);
