-- The keys under which events were recorded (Outbox.registerEvent(event, key)), each for
-- tidings.outbox.idempotency-window: a second recording under a key in force records nothing. Apart
-- from events, because a key outlives nothing: retention removes it when its window has passed,
-- while its event may be kept longer, or purged sooner.
CREATE TABLE event_idempotency_keys (
    scope       uuid        NOT NULL, -- the event's tenant; the nil uuid for an event of no tenant
    key         text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    event_id    uuid        NOT NULL,
    fingerprint bytea       NOT NULL, -- SHA-256 of the event's type, tenant and notification payload
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX event_idempotency_keys_recorded_idx ON event_idempotency_keys (recorded_at);
