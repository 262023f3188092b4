-- Every attempt updates its job's row (state, timestamps, counts). When no indexed column
-- changes and the page has room, PostgreSQL makes that a HOT update: no new index entries,
-- less WAL, less vacuum. So: no index on state (the list query orders by id and filters
-- state; per-state counts come from the stats stream, not from scanning this index), and
-- job partitions keep a fifth of each page free (new partitions: PartitionStore).
DROP INDEX jobs_organization_queue_state;
CREATE INDEX jobs_organization_queue_newest ON jobs (organization_id, queue_name, id DESC);

DO $$
DECLARE
    partition regclass;
BEGIN
    FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'jobs'::regclass LOOP
        EXECUTE format('ALTER TABLE %s SET (fillfactor = 80)', partition);
    END LOOP;
END $$;
