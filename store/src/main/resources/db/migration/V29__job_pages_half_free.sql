-- A job row is mostly its payload (a kilobyte is common), and each state change writes the row
-- anew. With a fifth of each page free (V2) there was room for one new version per page: when
-- all the jobs of a page change together, as a backlog of delayed jobs due in the same second
-- does, the others left the page, each with a new entry in all seven job indexes (three in five
-- releases were such non-HOT updates). Half of each page free keeps them on it. New partitions
-- get the same (PartitionStore); pages already written keep theirs until rewritten.
DO $$
DECLARE
    partition regclass;
BEGIN
    FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'jobs'::regclass LOOP
        EXECUTE format('ALTER TABLE %s SET (fillfactor = 50)', partition);
    END LOOP;
END $$;
