-- The token third parties send (X-Webhook-Token) to enqueue jobs through
-- POST /api/v1/webhooks/{organization}/custom. Kept readable: the organization may show it again.
ALTER TABLE organizations ADD COLUMN webhook_token text;
