-- Jobs accepted with a future scheduled_at wait as 'scheduled', out of the outbox, until the
-- scheduler releases them, earliest first. They are found here rather than by an index on jobs:
-- an index whose predicate names jobs.state would make every state change of every job a
-- non-HOT update.
CREATE TABLE scheduled_jobs (
    scheduled_at timestamptz NOT NULL,
    job_id       uuid        NOT NULL,
    PRIMARY KEY (scheduled_at, job_id)
);
