-- Ordered delivery per key. A subscriber that asks for order gets, per ordering key (the event's
-- aggregate, as its class declares it), its deliveries in the order of their event ids: a delivery
-- is claimed only while no earlier one of its key, for that subscriber, is pending or in flight. A
-- failing delivery holds the later ones of its key, and only those, until it is delivered or dead.
-- The later ones wait parked, due at 'infinity', so that claims never walk them: the delivery that
-- finishes promotes the next of its key (DeliveryRepository), and the claim's check of earlier
-- deliveries keeps the order whatever the timing of concurrent writers.
ALTER TABLE subscribers ADD COLUMN ordered boolean NOT NULL DEFAULT false;
ALTER TABLE subscriber_routes ADD COLUMN ordered boolean NOT NULL DEFAULT false;
-- Written only for ordered subscribers' deliveries: the others carry no key and no index entry.
ALTER TABLE deliveries ADD COLUMN ordering_key text;
CREATE INDEX deliveries_ordering_idx ON deliveries (subscriber_id, ordering_key, event_id)
    WHERE ordering_key IS NOT NULL AND status IN ('pending', 'in_flight');

CREATE OR REPLACE VIEW tidings_wanted_routes AS
SELECT DISTINCT t.name AS event_type,
       CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END AS tenant_scope,
       s.id AS subscriber_id, s.payload, s.receives_private_metadata AS private_metadata, s.ordered
  FROM subscribers s
  JOIN subscriptions p ON p.subscriber_id = s.id
  JOIN event_types t ON p.pattern = '*' OR p.pattern = t.name
                     OR (right(p.pattern, 2) = ':*' AND starts_with(t.name, left(p.pattern, -1)))
 WHERE s.enabled AND (s.payload <> 'telemetry' OR t.telemetry_allowed);

CREATE OR REPLACE FUNCTION tidings_route_subscribers(ids uuid[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(ids) AS id) c WHERE r.subscriber_id = c.id;
    INSERT INTO subscriber_routes (event_type, tenant_scope, subscriber_id, payload, private_metadata, ordered)
    SELECT DISTINCT t.name,
           CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END,
           s.id, s.payload, s.receives_private_metadata, s.ordered
      FROM (SELECT DISTINCT unnest(ids) AS id) c
      JOIN subscribers s ON s.id = c.id
      JOIN subscriptions p ON p.subscriber_id = s.id
      JOIN event_types t ON p.pattern = '*' OR p.pattern = t.name
                         OR (right(p.pattern, 2) = ':*' AND starts_with(t.name, left(p.pattern, -1)))
     WHERE s.enabled AND (s.payload <> 'telemetry' OR t.telemetry_allowed);
$$;

CREATE OR REPLACE FUNCTION tidings_route_types(names text[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes WHERE event_type = ANY (names);
    INSERT INTO subscriber_routes (event_type, tenant_scope, subscriber_id, payload, private_metadata, ordered)
    SELECT event_type, tenant_scope, subscriber_id, payload, private_metadata, ordered
      FROM tidings_wanted_routes WHERE event_type = ANY (names);
$$;

DROP TRIGGER subscribers_rerouted ON subscribers;
CREATE TRIGGER subscribers_rerouted
    AFTER UPDATE OF enabled, tenant_id, payload, all_tenants, receives_private_metadata, ordered ON subscribers
    FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id
                       OR OLD.payload IS DISTINCT FROM NEW.payload OR OLD.all_tenants IS DISTINCT FROM NEW.all_tenants
                       OR OLD.receives_private_metadata IS DISTINCT FROM NEW.receives_private_metadata
                       OR OLD.ordered IS DISTINCT FROM NEW.ordered)
    EXECUTE FUNCTION tidings_route_changed_subscriber();

DROP FUNCTION tidings_fan_out(uuid[], text[], uuid[], text[], text[], text[], timestamptz);
CREATE FUNCTION tidings_fan_out(event_ids uuid[], event_types text[], event_tenants uuid[],
                                notification_payloads text[], telemetry_payloads text[],
                                private_payloads text[], ordering_keys text[], due_at timestamptz)
    RETURNS integer
    LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan
    SET jit = off
AS $$
DECLARE
    written integer;
BEGIN
    INSERT INTO deliveries (event_id, subscriber_id, payload, ordering_key, next_attempt_at, created_at)
    SELECT e.id, r.subscriber_id,
           CASE WHEN r.payload = 'telemetry' THEN e.telemetry::jsonb
                WHEN r.private_metadata AND e.private IS NOT NULL
                     THEN jsonb_set(e.notification::jsonb, '{private_metadata}', e.private::jsonb)
                ELSE e.notification::jsonb END,
           CASE WHEN r.ordered THEN e.ordering_key END,
           -- parked behind an earlier delivery of its key; promoted when that one is delivered or dead
           CASE WHEN r.ordered AND e.ordering_key IS NOT NULL AND EXISTS (
                     SELECT 1 FROM deliveries o
                      WHERE o.subscriber_id = r.subscriber_id AND o.ordering_key = e.ordering_key
                        AND o.status IN ('pending', 'in_flight'))
                THEN 'infinity'::timestamptz ELSE due_at END,
           due_at
      FROM unnest(event_ids, event_types, event_tenants, notification_payloads, telemetry_payloads, private_payloads,
                  ordering_keys)
           AS e(id, type, tenant_id, notification, telemetry, private, ordering_key)
     CROSS JOIN LATERAL (
           SELECT subscriber_id, payload, private_metadata, ordered FROM subscriber_routes
            WHERE event_type = e.type AND tenant_scope = coalesce(e.tenant_id, tidings_no_tenant())
           UNION ALL
           SELECT subscriber_id, payload, private_metadata, ordered FROM subscriber_routes
            WHERE event_type = e.type AND tenant_scope = tidings_any_tenant()) r
     WHERE r.payload <> 'telemetry' OR e.telemetry IS NOT NULL;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
