-- Tidings framework schema: the event-type registry, the events table (single-table inheritance),
-- subscribers with their subscriptions, and the outbox itself (deliveries and their attempts).

-- Time-ordered UUIDs (RFC 9562 version 7): rows inserted together sit together in the
-- primary-key index, and ordering by id is ordering by creation time (to the millisecond).
CREATE FUNCTION tidings_uuid_v7() RETURNS uuid
    LANGUAGE sql VOLATILE PARALLEL SAFE AS
$$
SELECT encode(
    set_bit(set_bit(
        overlay(uuid_send(gen_random_uuid())
                placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                FROM 1 FOR 6),
        52, 1), 53, 1),
    'hex')::uuid
$$;

CREATE TABLE event_types (
    name              text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)+$'),
    description       text    NOT NULL,
    schema_version    integer NOT NULL DEFAULT 1 CHECK (schema_version > 0),
    telemetry_allowed boolean NOT NULL DEFAULT false
);

CREATE TABLE events (
    id          uuid PRIMARY KEY,
    kind        text        NOT NULL, -- JPA discriminator: which Event subclass this row is
    type        text        NOT NULL REFERENCES event_types (name),
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_type_id_idx ON events (type, id DESC);

CREATE TABLE subscribers (
    id              uuid PRIMARY KEY DEFAULT tidings_uuid_v7(),
    kind            text        NOT NULL CHECK (kind IN ('webhook', 'analytics')),
    enabled         boolean     NOT NULL DEFAULT true,
    url             text,
    description     text,
    disabled_reason text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Which event types a subscriber receives: an exact type, "prefix:*" for every type below
-- "prefix:", or "*" for all. The analytics subscriber has none: it takes telemetry-allowed types.
CREATE TABLE subscriptions (
    subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    pattern       text NOT NULL CHECK (pattern = '*' OR pattern ~ '^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)*(:\*)?$'),
    PRIMARY KEY (subscriber_id, pattern)
);

-- The outbox: one row per (event, subscriber), with the payload frozen when the event was recorded.
CREATE TABLE deliveries (
    id               uuid PRIMARY KEY DEFAULT tidings_uuid_v7(),
    event_id         uuid        NOT NULL REFERENCES events (id),
    subscriber_id    uuid        NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status           text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
    payload          jsonb       NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_expires_at timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (event_id, subscriber_id)
);
-- What the worker claims: due pending rows, and in-flight rows whose lease has run out.
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_lease_idx ON deliveries (lease_expires_at) WHERE status = 'in_flight';
CREATE INDEX deliveries_subscriber_idx ON deliveries (subscriber_id, id DESC);

CREATE TABLE delivery_attempts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id      uuid        NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempted_at     timestamptz NOT NULL,
    duration_ms      integer     NOT NULL,
    status_code      integer,
    response_excerpt text,
    error            text
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);
