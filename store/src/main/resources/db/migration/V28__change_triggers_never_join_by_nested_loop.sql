-- The change triggers (V24, V26) join a statement's old and new rows by id. PL/pgSQL plans that
-- query once per connection and keeps the plan: planned for the statement that happened to come
-- first, often a single-row update, it is a nested loop, and the next statement of thousands of
-- rows (a release of scheduled jobs, a projector batch) then compares every old row with every
-- new one: 25 million comparisons and 4.5 s for a batch of 5,000, where a hash join takes a few
-- milliseconds. Without nested loops, the cached plan holds for a statement of any size.
ALTER FUNCTION record_jobs_updated() SET enable_nestloop = off;
ALTER FUNCTION record_workers_updated() SET enable_nestloop = off;
