-- Keeping routes costs the same whatever plans a connection made while the tables were nearly
-- empty. A foreign key is checked once per row written, by a plan the connection makes once and
-- keeps; made while the referenced table held a page, it scans the whole table, and it is made
-- again only when something invalidates it (ANALYZE, which autovacuum may never have run). On
-- PostgreSQL 15, 100,000 webhooks' subscriptions in one statement took over 13 minutes in those
-- checks. Here the checks and cascades that routing depends on run once per statement, in SQL
-- functions that take the statement's ids as an array, as the routing functions do (V13): a SQL
-- function's statements are planned at each call, for the tables as they are then, where a
-- PL/pgSQL function would keep the plan its first call made.

-- subscriber_routes is derived from subscribers, subscriptions and event_types and kept by their
-- triggers (V10): its rows need no foreign keys. Deleting a subscriber or an event type deletes
-- its routes, as the cascades did.
ALTER TABLE subscriber_routes
    DROP CONSTRAINT subscriber_routes_subscriber_id_fkey,
    DROP CONSTRAINT subscriber_routes_event_type_fkey;

-- A subscription's subscriber must exist, and stays while the writing transaction runs: each is
-- locked as the foreign key locked it (FOR KEY SHARE); one that is missing fails the statement
-- with the foreign key's error code.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_subscriber_id_fkey;

-- The first of the ids with no subscriber, after locking those that exist.
CREATE FUNCTION tidings_missing_subscriber(ids uuid[]) RETURNS uuid
    LANGUAGE sql
AS $$
    SELECT 1 FROM subscribers s JOIN (SELECT DISTINCT unnest(ids) AS id) c ON s.id = c.id FOR KEY SHARE OF s;
    SELECT c.id FROM (SELECT DISTINCT unnest(ids) AS id) c
     WHERE NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = c.id) LIMIT 1;
$$;

CREATE FUNCTION tidings_check_subscribers_exist() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- Named to fire before subscriptions_routed (triggers of one event fire in name order).
CREATE TRIGGER subscriptions_checked AFTER INSERT ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_check_subscribers_exist();
CREATE TRIGGER subscriptions_checked_update AFTER UPDATE ON subscriptions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tidings_check_subscribers_exist();

CREATE FUNCTION tidings_forget_subscribers(ids uuid[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriptions p USING (SELECT DISTINCT unnest(ids) AS id) c WHERE p.subscriber_id = c.id;
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(ids) AS id) c WHERE r.subscriber_id = c.id;
$$;
CREATE FUNCTION tidings_forget_deleted_subscribers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_forget_subscribers(ARRAY(SELECT id FROM gone));
    RETURN NULL;
END
$$;
CREATE TRIGGER subscribers_forgotten AFTER DELETE ON subscribers REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION tidings_forget_deleted_subscribers();

CREATE FUNCTION tidings_unroute_types(names text[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(names) AS name) c WHERE r.event_type = c.name;
$$;
CREATE FUNCTION tidings_unroute_deleted_types() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tidings_unroute_types(ARRAY(SELECT name FROM gone));
    RETURN NULL;
END
$$;
CREATE TRIGGER event_types_unrouted AFTER DELETE ON event_types REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION tidings_unroute_deleted_types();
