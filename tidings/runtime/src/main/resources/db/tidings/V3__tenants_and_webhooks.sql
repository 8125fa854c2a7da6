-- Tenants and their API keys; webhook secrets, health and ownership; events that belong to a tenant.

CREATE TABLE tenants (
    id         uuid PRIMARY KEY DEFAULT tidings_uuid_v7(),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Keys are 256 random bits, so a SHA-256 of them is as good as a slow hash and can be looked up.
CREATE TABLE api_keys (
    id          uuid PRIMARY KEY DEFAULT tidings_uuid_v7(),
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_hash    bytea       NOT NULL UNIQUE,
    prefix      text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

-- A webhook belongs to a tenant and receives only that tenant's events; events with no tenant
-- go to subscribers with no tenant.
ALTER TABLE events ADD COLUMN tenant_id uuid;
CREATE INDEX events_tenant_id_idx ON events (tenant_id, id DESC);

ALTER TABLE subscribers
    ADD COLUMN tenant_id                  uuid REFERENCES tenants (id) ON DELETE CASCADE,
    ADD COLUMN secret                     text,
    ADD COLUMN previous_secret            text,
    ADD COLUMN previous_secret_expires_at timestamptz,
    ADD COLUMN failing_since              timestamptz,
    ADD COLUMN consecutive_dead           integer NOT NULL DEFAULT 0;
CREATE INDEX subscribers_tenant_idx ON subscribers (tenant_id, id DESC);

-- Events Tidings records about webhooks themselves.
ALTER TABLE events
    ADD COLUMN webhook_id     uuid,
    ADD COLUMN webhook_reason text;

INSERT INTO event_types (name, description, telemetry_allowed) VALUES
    ('webhook:test', 'A test message, sent on request to one webhook.', false),
    ('webhook:disabled', 'A webhook was disabled because its deliveries kept failing.', false);
