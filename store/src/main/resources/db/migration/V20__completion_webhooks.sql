-- kind 'completion': where jobs' completion_webhook callbacks go. One row per organization, URL
-- and secret, shared by every job naming them, so the delivery directory grows with the
-- callbacks' receivers, not with the jobs. Never listed among the organization's endpoints.
ALTER TABLE endpoints DROP CONSTRAINT endpoints_kind_check;
ALTER TABLE endpoints ADD CONSTRAINT endpoints_kind_check CHECK (kind IN ('webhook', 'system', 'completion'));
CREATE UNIQUE INDEX endpoints_completion ON endpoints (organization_id, url, secret) WHERE kind = 'completion';

-- The jobs that asked for a callback when they end, and where it goes. Read by primary key when
-- jobs reach a final state; the table holds only the jobs that asked.
CREATE TABLE completion_webhooks (
    job_id      uuid PRIMARY KEY,
    endpoint_id uuid NOT NULL REFERENCES endpoints (id)
);
