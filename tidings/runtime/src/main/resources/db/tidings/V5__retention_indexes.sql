-- What the retention purge looks for: finished deliveries by age, and events by age.
CREATE INDEX deliveries_delivered_idx ON deliveries (delivered_at) WHERE status = 'delivered';
CREATE INDEX deliveries_dead_idx ON deliveries (next_attempt_at) WHERE status = 'dead';
CREATE INDEX events_recorded_idx ON events (recorded_at);
