-- Workers learn of endpoint changes from the compacted sluice.endpoints topic. Every change
-- that matters to deliveries (URL, secret, limits, enabled) raises version; the endpoint
-- publisher writes the endpoint to the topic and then records the version it published.
ALTER TABLE endpoints ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE endpoints ADD COLUMN published_version bigint NOT NULL DEFAULT 0;
-- Only endpoints waiting to be published: the publisher's poll reads this, and it is empty most of the time.
CREATE INDEX endpoints_unpublished ON endpoints (id) WHERE version > published_version;
