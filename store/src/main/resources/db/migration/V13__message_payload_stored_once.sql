-- A message's delivery jobs share its payload, stored once in messages.payload, instead of
-- a copy per subscribed endpoint: jobs.payload is NULL for them (see JobRows.PAYLOAD).
ALTER TABLE jobs ALTER COLUMN payload DROP NOT NULL;
