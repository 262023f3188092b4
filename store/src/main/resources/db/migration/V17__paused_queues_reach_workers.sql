-- Delivery workers learn which queues are paused from the compacted sluice.queues topic: pausing
-- or resuming bumps state_version; the publisher sends the new state and records what it sent.
ALTER TABLE queues ADD COLUMN state_version bigint NOT NULL DEFAULT 0,
                   ADD COLUMN published_state_version bigint NOT NULL DEFAULT 0;
CREATE INDEX queues_state_unpublished ON queues (organization_id, name) WHERE state_version > published_state_version;

-- The attempt a delivery parked by a worker was about to make; resuming continues from it, and
-- the outbox carries it to the relay (null: the first attempt).
ALTER TABLE parked_jobs ADD COLUMN attempt integer;
ALTER TABLE outbox ADD COLUMN attempt integer;
