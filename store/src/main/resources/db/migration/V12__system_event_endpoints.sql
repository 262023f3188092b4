-- kind 'system': an outgoing webhook, which receives Sluice's system events (job.completed,
-- endpoint.disabled ...) instead of the organization's messages.
ALTER TABLE endpoints ADD COLUMN kind text NOT NULL DEFAULT 'webhook'
    CHECK (kind IN ('webhook', 'system'));

-- Every write that could raise a system event asks for its organizations' system endpoints;
-- while an organization has none, that is one probe of an empty index.
CREATE INDEX endpoints_system ON endpoints (organization_id) WHERE kind = 'system';
