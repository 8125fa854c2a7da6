-- An event's transaction takes its id before the event takes its position. A stream's window reads
-- the transactions past the done snapshot's xmax from done_low up (V17): a position read by a tick
-- before the tick's transaction id. Defaults are evaluated in column order, position before txid,
-- and nextval does not give the transaction an id: an event could take its position before the
-- tick read done_low and its transaction its id after the tick, and the stream skipped it (one in
-- 72,000 in the benchmark, with three streams and writers on four threads). CASE evaluates its
-- condition first.
ALTER TABLE events
    ALTER COLUMN position SET DEFAULT CASE WHEN pg_current_xact_id() IS NOT NULL THEN nextval('tidings_event_position') END;
