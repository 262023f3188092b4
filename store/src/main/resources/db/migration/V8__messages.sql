-- Fan-out: a message is one published event; it becomes one delivery job per subscribed,
-- enabled endpoint, written in the message's transaction.

-- Event types an organization publishes. schema: an optional JSON Schema for its payloads.
CREATE TABLE event_types (
    organization_id uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    description     text,
    schema          jsonb,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, name)
);

-- Subscriptions: NULL (or empty) event_types means every event type; an endpoint with
-- channels receives only messages published to one of them.
ALTER TABLE endpoints ADD COLUMN event_types text[];
ALTER TABLE endpoints ADD COLUMN channels text[];

CREATE TABLE messages (
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL,
    event_type      text        NOT NULL,
    payload         json        NOT NULL, -- json: the bytes published are the bytes delivered and signed
    channels        text[],
    idempotency_key text,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX messages_idempotency ON messages (organization_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_organization_newest ON messages (organization_id, id DESC);

-- A delivery job knows its message; an endpoint lists its deliveries newest first.
ALTER TABLE jobs ADD COLUMN message_id uuid;
CREATE INDEX jobs_message ON jobs (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX jobs_endpoint_newest ON jobs (endpoint_id, id DESC) WHERE endpoint_id IS NOT NULL;
