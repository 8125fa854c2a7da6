-- Routing resolved ahead of time, so that recording an event costs the same whatever the number of
-- subscribers it does not concern. subscriber_routes holds one row per (event type, tenant scope,
-- enabled subscriber) that a subscription covers; the fan-out finds an event's subscribers by two
-- probes of its primary key. Triggers keep it in step with subscribers, their subscriptions and the
-- event-type registry, whoever writes them (the API, a migration, a host application's SQL).

-- What a subscriber takes, and from whom, as settings of its own rather than rules about its kind:
-- the payload it receives, and whether it takes every tenant's events or only its own tenant's.
ALTER TABLE subscribers
    ADD COLUMN payload     text        NOT NULL DEFAULT 'notification' CHECK (payload IN ('notification', 'telemetry')),
    ADD COLUMN all_tenants boolean     NOT NULL DEFAULT false,
    ADD COLUMN disabled_at timestamptz;
UPDATE subscribers SET payload = 'telemetry', all_tenants = true WHERE kind = 'analytics';
INSERT INTO subscriptions (subscriber_id, pattern) SELECT id, '*' FROM subscribers WHERE kind = 'analytics'
    ON CONFLICT DO NOTHING;
UPDATE subscribers SET disabled_at = updated_at WHERE NOT enabled;

-- The tenant scope of a route: the subscriber's tenant, tidings_no_tenant() for events that belong to
-- no tenant, or tidings_any_tenant() for a subscriber that takes every tenant's events.
CREATE FUNCTION tidings_no_tenant() RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '00000000-0000-0000-0000-000000000000'::uuid $$;
CREATE FUNCTION tidings_any_tenant() RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid $$;

CREATE TABLE subscriber_routes (
    event_type    text NOT NULL REFERENCES event_types (name) ON DELETE CASCADE,
    tenant_scope  uuid NOT NULL,
    subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    -- copied from the subscriber, so that the fan-out reads nothing but routes
    payload          text    NOT NULL,
    private_metadata boolean NOT NULL,
    PRIMARY KEY (event_type, tenant_scope, subscriber_id)
);
CREATE INDEX subscriber_routes_subscriber_idx ON subscriber_routes (subscriber_id);

-- Every route that subscriptions ask for. The pattern rule is TypePattern's: '*', an exact type,
-- or 'prefix:*' for every type below 'prefix:'. The functions below filter it by subscriber or by
-- type; PostgreSQL pushes their filters into it, so each reads only the rows concerned.
CREATE VIEW tidings_wanted_routes AS
SELECT DISTINCT t.name AS event_type,
       CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END AS tenant_scope,
       s.id AS subscriber_id, s.payload, s.receives_private_metadata AS private_metadata
  FROM subscribers s
  JOIN subscriptions p ON p.subscriber_id = s.id
  JOIN event_types t ON p.pattern = '*' OR p.pattern = t.name
                     OR (right(p.pattern, 2) = ':*' AND starts_with(t.name, left(p.pattern, -1)))
 WHERE s.enabled AND (s.payload <> 'telemetry' OR t.telemetry_allowed);

-- Recomputes the routes of the given subscribers.
CREATE FUNCTION tidings_route_subscribers(ids uuid[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes WHERE subscriber_id = ANY (ids);
    INSERT INTO subscriber_routes SELECT * FROM tidings_wanted_routes WHERE subscriber_id = ANY (ids);
$$;

-- Recomputes the routes of the given event types (new ones, or ones whose telemetry flag changed).
CREATE FUNCTION tidings_route_types(names text[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes WHERE event_type = ANY (names);
    INSERT INTO subscriber_routes SELECT * FROM tidings_wanted_routes WHERE event_type = ANY (names);
$$;

-- Statement triggers with transition tables, so that a bulk insert recomputes once; row triggers
-- where PostgreSQL allows no transition table (updates of named columns), guarded by WHEN so that
-- the frequent health updates of a subscriber never touch its routes.
CREATE FUNCTION tidings_route_added_subscribers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_subscribers(ARRAY(SELECT id FROM changed));
    RETURN NULL;
END
$$;
CREATE FUNCTION tidings_route_changed_subscriber() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_subscribers(ARRAY[NEW.id]);
    RETURN NULL;
END
$$;
CREATE FUNCTION tidings_route_changed_subscriptions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_subscribers(ARRAY(SELECT DISTINCT subscriber_id FROM changed));
    RETURN NULL;
END
$$;
CREATE FUNCTION tidings_route_changed_types() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_types(ARRAY(SELECT name FROM changed));
    RETURN NULL;
END
$$;

CREATE TRIGGER subscribers_routed AFTER INSERT ON subscribers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_added_subscribers();
CREATE TRIGGER subscribers_rerouted
    AFTER UPDATE OF enabled, tenant_id, payload, all_tenants, receives_private_metadata ON subscribers
    FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id
                       OR OLD.payload IS DISTINCT FROM NEW.payload OR OLD.all_tenants IS DISTINCT FROM NEW.all_tenants
                       OR OLD.receives_private_metadata IS DISTINCT FROM NEW.receives_private_metadata)
    EXECUTE FUNCTION tidings_route_changed_subscriber();
CREATE TRIGGER subscriptions_routed AFTER INSERT ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE TRIGGER subscriptions_unrouted AFTER DELETE ON subscriptions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE TRIGGER subscriptions_rerouted_old AFTER UPDATE ON subscriptions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE TRIGGER subscriptions_rerouted_new AFTER UPDATE ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE TRIGGER event_types_routed AFTER INSERT ON event_types
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_types();
CREATE TRIGGER event_types_rerouted AFTER UPDATE ON event_types
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_types();

SELECT tidings_route_subscribers(ARRAY(SELECT id FROM subscribers));

-- The fan-out, now by route: an event's subscribers are the routes of its type for its tenant (or no
-- tenant) and for every tenant, two probes of its key per event. It names no subscriber kind: each subscriber says which payload it
-- takes. JIT off: the statement is cheap, and on servers with JIT on, compiling it cost more than
-- running it.
CREATE OR REPLACE FUNCTION tidings_fan_out(event_ids uuid[], event_types text[], event_tenants uuid[],
                                           notification_payloads text[], telemetry_payloads text[],
                                           private_payloads text[], due_at timestamptz)
    RETURNS integer
    LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan
    SET jit = off
AS $$
DECLARE
    written integer;
BEGIN
    INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at, created_at)
    SELECT e.id, r.subscriber_id,
           CASE WHEN r.payload = 'telemetry' THEN e.telemetry::jsonb
                WHEN r.private_metadata AND e.private IS NOT NULL
                     THEN jsonb_set(e.notification::jsonb, '{private_metadata}', e.private::jsonb)
                ELSE e.notification::jsonb END,
           due_at, due_at
      FROM unnest(event_ids, event_types, event_tenants, notification_payloads, telemetry_payloads, private_payloads)
           AS e(id, type, tenant_id, notification, telemetry, private)
     CROSS JOIN LATERAL (
           SELECT subscriber_id, payload, private_metadata FROM subscriber_routes
            WHERE event_type = e.type AND tenant_scope = coalesce(e.tenant_id, tidings_no_tenant())
           UNION ALL
           SELECT subscriber_id, payload, private_metadata FROM subscriber_routes
            WHERE event_type = e.type AND tenant_scope = tidings_any_tenant()) r
     WHERE r.payload <> 'telemetry' OR e.telemetry IS NOT NULL;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

-- Outbox tables churn: every claim and outcome leaves a dead row version. Vacuum and analyze them
-- far sooner than PostgreSQL's defaults (20% and 10% of the table), so that claims do not walk dead
-- index entries and plans follow the outbox's size.
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                            autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
                            autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE events SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
