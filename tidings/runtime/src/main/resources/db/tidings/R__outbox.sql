-- The outbox's functions, as they are now: ids, tenant scopes and the fan-out that writes an event's
-- deliveries. A repeatable migration: Flyway runs it after the versioned ones whenever its text
-- changes, and it is the one definition of these functions; the versioned migrations up to V19
-- still hold their earlier definitions, as history. Change them here.

-- Time-ordered UUIDs (RFC 9562 version 7): rows inserted together sit together in the
-- primary-key index, and ordering by id is ordering by creation time (to the millisecond).
CREATE OR REPLACE FUNCTION tidings_uuid_v7() RETURNS uuid
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

-- The tenant scope of a route: the subscriber's tenant, tidings_no_tenant() for events that belong to
-- no tenant, or tidings_any_tenant() for a subscriber that takes every tenant's events.
CREATE OR REPLACE FUNCTION tidings_no_tenant() RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '00000000-0000-0000-0000-000000000000'::uuid $$;
CREATE OR REPLACE FUNCTION tidings_any_tenant() RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid $$;

-- The fan-out, by route: an event's subscribers are the routes of its type for its tenant (or no
-- tenant) and for every tenant, two probes of their key per event. It names no subscriber kind:
-- each subscriber says which payload it takes. A subscriber that keeps order gets the event's
-- ordering key, and a delivery parked behind an earlier one of its key. A generic plan, made once
-- for any batch, and no JIT: the statement is cheap, and on servers with JIT on, compiling it cost
-- more than running it. A route that pins a version its event was rendered at too
-- (older_notifications, {"1": {...}} per event) gets that rendering, and its delivery the version;
-- a pin the class no longer renders gets the current payload.
CREATE OR REPLACE FUNCTION tidings_fan_out(event_ids uuid[], event_types text[], event_tenants uuid[],
                                           notification_payloads text[], telemetry_payloads text[],
                                           private_payloads text[], ordering_keys text[], due_at timestamptz,
                                           older_notifications text[])
    RETURNS integer
    LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan
    SET jit = off
AS $$
DECLARE
    written integer;
BEGIN
    INSERT INTO deliveries (event_id, subscriber_id, payload, schema_version, ordering_key, next_attempt_at, created_at)
    SELECT e.id, r.subscriber_id,
           CASE WHEN r.payload = 'telemetry' THEN e.telemetry::jsonb
                WHEN r.private_metadata AND e.private IS NOT NULL
                     THEN jsonb_set(coalesce(v.pinned, e.notification::jsonb), '{private_metadata}', e.private::jsonb)
                ELSE coalesce(v.pinned, e.notification::jsonb) END,
           CASE WHEN v.pinned IS NOT NULL THEN r.schema_version END,
           CASE WHEN r.ordered THEN e.ordering_key END,
           -- parked behind an earlier delivery of its key; promoted when that one is delivered or dead
           CASE WHEN r.ordered AND e.ordering_key IS NOT NULL AND EXISTS (
                     SELECT 1 FROM deliveries o
                      WHERE o.subscriber_id = r.subscriber_id AND o.ordering_key = e.ordering_key
                        AND o.status IN ('pending', 'in_flight'))
                THEN 'infinity'::timestamptz ELSE due_at END,
           due_at
      FROM unnest(event_ids, event_types, event_tenants, notification_payloads, telemetry_payloads, private_payloads,
                  ordering_keys, older_notifications)
           AS e(id, type, tenant_id, notification, telemetry, private, ordering_key, older)
     CROSS JOIN LATERAL (
           SELECT subscriber_id, payload, private_metadata, ordered, schema_version FROM subscriber_routes
            WHERE event_type = e.type AND tenant_scope = coalesce(e.tenant_id, tidings_no_tenant())
           UNION ALL
           SELECT subscriber_id, payload, private_metadata, ordered, schema_version FROM subscriber_routes
            WHERE event_type = e.type AND tenant_scope = tidings_any_tenant()) r
     CROSS JOIN LATERAL (
           SELECT CASE WHEN r.payload <> 'telemetry' THEN e.older::jsonb -> r.schema_version::text END AS pinned) v
     WHERE r.payload <> 'telemetry' OR e.telemetry IS NOT NULL;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

-- The fan-out as instances of the build before version pins call it, while a rolling upgrade runs
-- both: their events render no older versions. To go in a later release.
CREATE OR REPLACE FUNCTION tidings_fan_out(event_ids uuid[], event_types text[], event_tenants uuid[],
                                           notification_payloads text[], telemetry_payloads text[],
                                           private_payloads text[], ordering_keys text[], due_at timestamptz)
    RETURNS integer
    LANGUAGE sql
    SET plan_cache_mode = force_generic_plan
    SET jit = off
AS $$
    SELECT tidings_fan_out(event_ids, event_types, event_tenants, notification_payloads, telemetry_payloads,
                           private_payloads, ordering_keys, due_at, NULL::text[])
$$;
