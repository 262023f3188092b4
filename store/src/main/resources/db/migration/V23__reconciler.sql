-- The reconciler looks at every job once it is old enough to have moved on (reconciler_cursor:
-- how far, in id order, which is creation order), and again at the few still on their way then
-- (reconciler_watch). No index on jobs.state is needed: that would make every state change a
-- non-HOT update.
CREATE TABLE reconciler_cursor (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    examined_up_to uuid        NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE reconciler_watch (
    job_id   uuid PRIMARY KEY,
    check_at timestamptz NOT NULL,
    repairs  integer     NOT NULL DEFAULT 0
);
CREATE INDEX reconciler_watch_due ON reconciler_watch (check_at);
