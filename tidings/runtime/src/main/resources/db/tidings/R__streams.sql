-- The streams' functions, as they are now. A repeatable migration: Flyway runs it after the
-- versioned ones whenever its text changes, and it is the one definition of these functions; V17
-- still holds their first definitions, as history. Change them here.

-- The oldest transaction id whose events some stream may still have to send: the events purge keeps
-- every event at or above it. Streams marked behind hold nothing back.
CREATE OR REPLACE FUNCTION tidings_stream_horizon() RETURNS xid8
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
CREATE OR REPLACE FUNCTION tidings_stream_snapshot(OUT snapshot pg_snapshot, OUT high bigint)
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    snapshot := pg_current_snapshot();
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO high FROM tidings_event_position;
END
$$;
