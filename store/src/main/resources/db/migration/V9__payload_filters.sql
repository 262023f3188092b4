-- An endpoint's payload filter (see PayloadFilter): it receives only messages whose payload
-- matches; NULL: every payload.
ALTER TABLE endpoints ADD COLUMN payload_filter jsonb;
