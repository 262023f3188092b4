-- Endpoint health: per-endpoint limits the worker enforces, and why and since when an
-- endpoint is disabled (410 Gone at once, or every attempt failing for a configured time).
ALTER TABLE endpoints ADD COLUMN rate_limit integer;        -- deliveries per second; NULL: unlimited
ALTER TABLE endpoints ADD COLUMN max_concurrency integer;   -- deliveries in flight; NULL: the worker's default
ALTER TABLE endpoints ADD COLUMN disabled_reason text;
ALTER TABLE endpoints ADD COLUMN disabled_at timestamptz;
-- Set by the first failed attempt after a success (or ever), cleared by the next success.
ALTER TABLE endpoints ADD COLUMN failing_since timestamptz;
