-- An endpoint's own retry schedule (comma-separated delays, each one of the retry tiers, e.g.
-- '1m,10m,1h'); NULL: the default schedule (sluice.retry.schedule).
ALTER TABLE endpoints ADD COLUMN retry_schedule text;
