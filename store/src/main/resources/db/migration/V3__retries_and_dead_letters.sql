-- Tiered retries: a job waiting for its next attempt stays pending with the time it is due;
-- retry_count counts the attempts after the first since the job was (re)started, as the
-- Spooled API shows it, while jobs.attempts keeps counting every attempt ever made.
ALTER TABLE jobs ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE jobs ADD COLUMN retry_count integer NOT NULL DEFAULT 0;

-- The dead-letter queue's index: one row per dead-lettered job. Kept apart from jobs
-- because an index on jobs.state (even a partial one) would make every state change of
-- every job a non-HOT update (see V2). jobs.state stays the truth: readers join and check it.
CREATE TABLE dead_letters (
    job_id          uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL,
    queue_name      text        NOT NULL,
    endpoint_id     uuid,
    reason          text        NOT NULL,
    dead_at         timestamptz NOT NULL
);
CREATE INDEX dead_letters_organization_queue ON dead_letters (organization_id, queue_name, dead_at);
CREATE INDEX dead_letters_organization_dead_at ON dead_letters (organization_id, dead_at);
