-- Routing, as it is now: which subscribers an event of a type and tenant goes to, resolved ahead of
-- time into subscriber_routes and kept in step by triggers on subscribers, subscriptions and
-- event_types, whoever writes them (the API, a migration, a host application's SQL). The fan-out
-- reads routes only (tidings_fan_out).
--
-- A repeatable migration: Flyway runs it after the versioned ones whenever its text changes. This
-- file is the one definition of these functions, the view and the triggers; the versioned
-- migrations up to V19 still hold their earlier definitions, as history. Change them here.

-- The subscription-pattern rule, the one place SQL has it: '*' covers every type, 'prefix:*' every
-- type below 'prefix:', anything else that exact type. TypePattern is the same rule for Java, and
-- TypePatternRuleTest holds the two to the same cases. A SQL function of one expression is inlined
-- into the statements that call it, so it costs what the expression costs.
CREATE OR REPLACE FUNCTION tidings_type_matches(pattern text, type text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pattern = '*' OR pattern = type OR (right(pattern, 2) = ':*' AND starts_with(type, left(pattern, -1)));

-- Every route that subscriptions ask for. Streams read the events as a log and have no routes. A
-- type that one of a subscriber's subscriptions pins ('project:created@1') and another covers
-- ('project:*') is one route, with the pin. (A view's columns are fixed once it exists: the pin
-- comes last, and the view is dropped first so that it can gain it.)
DROP VIEW IF EXISTS tidings_wanted_routes;
CREATE VIEW tidings_wanted_routes AS
SELECT t.name AS event_type,
       CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END AS tenant_scope,
       s.id AS subscriber_id, s.payload, s.receives_private_metadata AS private_metadata, s.ordered,
       max(p.schema_version) AS schema_version
  FROM subscribers s
  JOIN subscriptions p ON p.subscriber_id = s.id
  JOIN event_types t ON tidings_type_matches(p.type_pattern, t.name)
 WHERE s.enabled AND NOT s.stream AND (s.payload <> 'telemetry' OR t.telemetry_allowed)
 GROUP BY t.name, s.id;

-- Recomputes the routes of the given subscribers. It joins their ids rather than testing each row
-- with "= ANY (ids)": inside a function the array is a parameter, which PostgreSQL searches element
-- by element, and once stale statistics made it scan subscribers, 100,000 webhooks in one statement
-- ran for hours. A SQL function's statements are planned at each call, for the tables as they are.
CREATE OR REPLACE FUNCTION tidings_route_subscribers(ids uuid[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(ids) AS id) c WHERE r.subscriber_id = c.id;
    INSERT INTO subscriber_routes (event_type, tenant_scope, subscriber_id, payload, private_metadata, ordered, schema_version)
    SELECT t.name,
           CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END,
           s.id, s.payload, s.receives_private_metadata, s.ordered, max(p.schema_version)
      FROM (SELECT DISTINCT unnest(ids) AS id) c
      JOIN subscribers s ON s.id = c.id
      JOIN subscriptions p ON p.subscriber_id = s.id
      JOIN event_types t ON tidings_type_matches(p.type_pattern, t.name)
     WHERE s.enabled AND NOT s.stream AND (s.payload <> 'telemetry' OR t.telemetry_allowed)
     GROUP BY t.name, s.id;
$$;

-- Recomputes the routes of the given event types (new ones, or ones whose telemetry flag changed).
CREATE OR REPLACE FUNCTION tidings_route_types(names text[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes WHERE event_type = ANY (names);
    INSERT INTO subscriber_routes (event_type, tenant_scope, subscriber_id, payload, private_metadata, ordered, schema_version)
    SELECT event_type, tenant_scope, subscriber_id, payload, private_metadata, ordered, schema_version
      FROM tidings_wanted_routes WHERE event_type = ANY (names);
$$;

-- Routes have no foreign keys (a key is checked by a plan the connection keeps, made while the
-- table may have been tiny): these do once per statement what the checks and cascades did per row.
-- The first of the ids with no subscriber, after locking those that exist as a foreign key would.
CREATE OR REPLACE FUNCTION tidings_missing_subscriber(ids uuid[]) RETURNS uuid
    LANGUAGE sql
AS $$
    SELECT 1 FROM subscribers s JOIN (SELECT DISTINCT unnest(ids) AS id) c ON s.id = c.id FOR KEY SHARE OF s;
    SELECT c.id FROM (SELECT DISTINCT unnest(ids) AS id) c
     WHERE NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = c.id) LIMIT 1;
$$;

CREATE OR REPLACE FUNCTION tidings_forget_subscribers(ids uuid[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriptions p USING (SELECT DISTINCT unnest(ids) AS id) c WHERE p.subscriber_id = c.id;
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(ids) AS id) c WHERE r.subscriber_id = c.id;
$$;

CREATE OR REPLACE FUNCTION tidings_unroute_types(names text[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(names) AS name) c WHERE r.event_type = c.name;
$$;

-- The triggers' functions. Statement triggers with transition tables, so that a bulk statement
-- recomputes once; a row trigger where PostgreSQL allows no transition table (updates of named
-- columns), guarded by WHEN so that a subscriber's frequent health updates never touch its routes.
CREATE OR REPLACE FUNCTION tidings_route_added_subscribers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_subscribers(ARRAY(SELECT id FROM changed));
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION tidings_route_changed_subscriber() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_subscribers(ARRAY[NEW.id]);
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION tidings_route_changed_subscriptions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_subscribers(ARRAY(SELECT DISTINCT subscriber_id FROM changed));
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION tidings_route_changed_types() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_route_types(ARRAY(SELECT name FROM changed));
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION tidings_check_subscribers_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing uuid := tidings_missing_subscriber(ARRAY(SELECT DISTINCT subscriber_id FROM changed));
BEGIN
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'subscriber % does not exist', missing USING ERRCODE = 'foreign_key_violation',
            TABLE = 'subscriptions', COLUMN = 'subscriber_id';
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION tidings_forget_deleted_subscribers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_forget_subscribers(ARRAY(SELECT id FROM gone));
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION tidings_unroute_deleted_types() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_unroute_types(ARRAY(SELECT name FROM gone));
    RETURN NULL;
END
$$;

-- The triggers. Those of one event fire in name order: subscriptions_checked before subscriptions_routed.
CREATE OR REPLACE TRIGGER subscribers_routed AFTER INSERT ON subscribers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_added_subscribers();
CREATE OR REPLACE TRIGGER subscribers_rerouted
    AFTER UPDATE OF enabled, tenant_id, payload, all_tenants, receives_private_metadata, ordered ON subscribers
    FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id
                       OR OLD.payload IS DISTINCT FROM NEW.payload OR OLD.all_tenants IS DISTINCT FROM NEW.all_tenants
                       OR OLD.receives_private_metadata IS DISTINCT FROM NEW.receives_private_metadata
                       OR OLD.ordered IS DISTINCT FROM NEW.ordered)
    EXECUTE FUNCTION tidings_route_changed_subscriber();
CREATE OR REPLACE TRIGGER subscribers_forgotten AFTER DELETE ON subscribers
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION tidings_forget_deleted_subscribers();
CREATE OR REPLACE TRIGGER subscriptions_checked AFTER INSERT ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_check_subscribers_exist();
CREATE OR REPLACE TRIGGER subscriptions_checked_update AFTER UPDATE ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_check_subscribers_exist();
CREATE OR REPLACE TRIGGER subscriptions_routed AFTER INSERT ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE OR REPLACE TRIGGER subscriptions_unrouted AFTER DELETE ON subscriptions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE OR REPLACE TRIGGER subscriptions_rerouted_old AFTER UPDATE ON subscriptions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE OR REPLACE TRIGGER subscriptions_rerouted_new AFTER UPDATE ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_subscriptions();
CREATE OR REPLACE TRIGGER event_types_routed AFTER INSERT ON event_types
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_types();
CREATE OR REPLACE TRIGGER event_types_rerouted AFTER UPDATE ON event_types
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_route_changed_types();
CREATE OR REPLACE TRIGGER event_types_unrouted AFTER DELETE ON event_types
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION tidings_unroute_deleted_types();
