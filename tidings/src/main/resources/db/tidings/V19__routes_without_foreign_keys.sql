-- Keeping routes costs the same whatever plans a connection made while the tables were nearly
-- empty. A foreign key is checked once per row written, by a plan the connection makes once and
-- keeps; made while the referenced table held a page, it scans the whole table, and it is made
-- again only when something invalidates it (ANALYZE, which autovacuum may never have run). On
-- PostgreSQL 15, 100,000 webhooks' subscriptions in one statement took over 13 minutes in those
-- checks. Here the checks and cascades that routing depends on are made by statement: one join per
-- statement, whatever its plan, instead of one lookup per row.

-- subscriber_routes is derived from subscribers, subscriptions and event_types and kept by their
-- triggers (V10): its rows need no foreign keys. Deleting a subscriber or an event type deletes
-- its routes, as the cascades did.
ALTER TABLE subscriber_routes
    DROP CONSTRAINT subscriber_routes_subscriber_id_fkey,
    DROP CONSTRAINT subscriber_routes_event_type_fkey;

-- A subscription's subscriber must exist, and stays while the writing transaction runs: each is
-- locked as the foreign key locked it (FOR KEY SHARE), then any that is missing fails the statement
-- with the foreign key's error code. PL/pgSQL keeps its plans for the session too: these functions
-- turn sequential scans off, so that a plan made while subscribers held a page looks each row up by
-- key rather than scanning the table once per row (it did, with the plan of an anti-join).
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_subscriber_id_fkey;

CREATE FUNCTION tidings_check_subscribers_exist() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
    missing uuid;
BEGIN
    PERFORM 1 FROM subscribers s WHERE s.id IN (SELECT subscriber_id FROM changed) FOR KEY SHARE OF s;
    SELECT c.subscriber_id INTO missing FROM changed c
     WHERE NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = c.subscriber_id) LIMIT 1;
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

CREATE FUNCTION tidings_forget_subscribers() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    DELETE FROM subscriptions p USING gone g WHERE p.subscriber_id = g.id;
    DELETE FROM subscriber_routes r USING gone g WHERE r.subscriber_id = g.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER subscribers_forgotten AFTER DELETE ON subscribers REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION tidings_forget_subscribers();

CREATE FUNCTION tidings_unroute_types() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
    DELETE FROM subscriber_routes r USING gone g WHERE r.event_type = g.name;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_types_unrouted AFTER DELETE ON event_types REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION tidings_unroute_types();
