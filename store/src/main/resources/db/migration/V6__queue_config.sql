-- Queue configuration. A queue row is created by the first job sent to it (or by its first
-- configuration); its settings are defaults for the jobs accepted afterwards.
-- id: the Spooled API shows one; nothing refers to it.
ALTER TABLE queues ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
-- The queue's own retry schedule (comma-separated delays, each one of the retry tiers); an
-- endpoint's own schedule wins over it; NULL: the default schedule (sluice.retry.schedule).
ALTER TABLE queues ADD COLUMN retry_schedule text;
