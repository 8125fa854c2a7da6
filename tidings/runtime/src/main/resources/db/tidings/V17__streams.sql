-- Streams: subscribers that read the events as a log, in commit order, with no row per event. Each
-- keeps one cursor into the events; nothing is written for it when an event is recorded.
--
-- How the log is read, after PgQ: an event belongs to the transaction that wrote it (txid), and a
-- stream moves from one transaction snapshot to the next. The events between two snapshots are
-- those whose transaction is visible in the later one and not in the earlier one, so an event whose
-- transaction commits late is read in the window in which it becomes visible, never skipped, and a
-- transaction left open delays only its own events. Within a window events go in the order of their
-- position, a sequence value taken as each row is written: a transaction that waited for another
-- one's row lock writes after that one committed, so its events come later whatever their
-- transaction ids.

-- CACHE 1 (the default) keeps positions in the order in which rows are written across sessions,
-- which the ordering above relies on; a cache would hand each session a range of its own.
CREATE SEQUENCE tidings_event_position CACHE 1;

-- Existing rows keep nulls (no table rewrite): streams read events recorded from here on.
ALTER TABLE events
    ADD COLUMN position     bigint,
    ADD COLUMN txid         xid8,
    -- the payloads as rendered when the event was recorded: what a stream sends, never re-rendered
    ADD COLUMN notification text,
    ADD COLUMN telemetry    text,
    ADD COLUMN ordering_key text;
ALTER TABLE events
    ALTER COLUMN position SET DEFAULT nextval('tidings_event_position'),
    ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
CREATE INDEX events_position_idx ON events (position);
CREATE INDEX events_txid_idx ON events (txid);

-- A stream subscriber gets no routes: the fan-out writes no delivery for it.
ALTER TABLE subscribers ADD COLUMN stream boolean NOT NULL DEFAULT false;

CREATE TABLE stream_cursors (
    subscriber_id    uuid PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
    -- Every event of a transaction visible in done_snapshot has been sent. done_low is below every
    -- event of a transaction whose id is at or past the snapshot's xmax (see tidings_stream_snapshot).
    done_snapshot    pg_snapshot NOT NULL,
    done_low         bigint      NOT NULL,
    done_at          timestamptz NOT NULL,
    -- The window being read, when one is open: events visible in window_snapshot and not in
    -- done_snapshot, sent up to position after_position. window_high bounds the window's positions;
    -- window_low becomes done_low once the window is finished.
    window_snapshot  pg_snapshot,
    window_low       bigint,
    window_high      bigint,
    window_at        timestamptz,
    after_position   bigint      NOT NULL DEFAULT 0,
    -- One reader at a time: whoever holds an unexpired lease, and the fence it took it with. A reader
    -- moves the cursor only under its own fence, so one that lost its lease cannot move it.
    fence            bigint      NOT NULL DEFAULT 0,
    lease_owner      text,
    lease_expires_at timestamptz,
    -- A sink that fails is retried on a backoff of its own; the stream waits, in order.
    failures         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text,
    sent             bigint      NOT NULL DEFAULT 0,
    -- Further behind than tidings.streams.max-lag: it no longer holds retention back.
    behind_since     timestamptz
);

-- The oldest transaction id whose events some stream may still have to send: the events purge keeps
-- every event at or above it. Streams marked behind hold nothing back.
CREATE FUNCTION tidings_stream_horizon() RETURNS xid8
    LANGUAGE sql STABLE
AS $$
    SELECT coalesce(min(pg_snapshot_xmin(done_snapshot)), pg_snapshot_xmin(pg_current_snapshot()))
      FROM stream_cursors WHERE behind_since IS NULL;
$$;

-- The snapshot of a new window, then a position read after it: above every event the snapshot sees.
-- The position read below it (done_low) comes from a tick the reader commits first (StreamLog): a
-- snapshot's xmax is the latest finished transaction id plus one, so a transaction that took a
-- higher id before the snapshot and is still open is in neither its in-progress list nor, by its
-- id, after it; only a transaction id finished after the low position was read makes every later
-- id a transaction that wrote after it.
CREATE FUNCTION tidings_stream_snapshot(OUT snapshot pg_snapshot, OUT high bigint)
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    snapshot := pg_current_snapshot();
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO high FROM tidings_event_position;
END
$$;

CREATE OR REPLACE VIEW tidings_wanted_routes AS
SELECT DISTINCT t.name AS event_type,
       CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END AS tenant_scope,
       s.id AS subscriber_id, s.payload, s.receives_private_metadata AS private_metadata, s.ordered
  FROM subscribers s
  JOIN subscriptions p ON p.subscriber_id = s.id
  JOIN event_types t ON p.pattern = '*' OR p.pattern = t.name
                     OR (right(p.pattern, 2) = ':*' AND starts_with(t.name, left(p.pattern, -1)))
 WHERE s.enabled AND NOT s.stream AND (s.payload <> 'telemetry' OR t.telemetry_allowed);

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
     WHERE s.enabled AND NOT s.stream AND (s.payload <> 'telemetry' OR t.telemetry_allowed);
$$;

-- The kafka and file kinds become streams: their subscribers lose their routes and read from now on.
-- Deliveries they still had are still sent, one by one, by the same kinds' senders (as a dead
-- record of a stream is when it is retried).
UPDATE subscribers SET stream = true WHERE kind IN ('kafka', 'file');
SELECT tidings_route_subscribers(ARRAY(SELECT id FROM subscribers WHERE stream));
-- Every event written before this migration has no position, so 0 is below all that follow.
INSERT INTO stream_cursors (subscriber_id, done_snapshot, done_low, done_at)
SELECT s.id, pg_current_snapshot(), 0, now() FROM subscribers s WHERE s.stream;
