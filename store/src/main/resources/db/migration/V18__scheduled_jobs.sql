-- Jobs accepted with a future scheduled_at wait as 'scheduled', out of the outbox, until the
-- scheduler releases them; it looks for the due ones by this index.
CREATE INDEX jobs_scheduled_due ON jobs (scheduled_at) WHERE state = 'scheduled';
