-- The claim reads each subscriber's due deliveries in due order and stops after as many as it can
-- send: with this index that costs the same whatever the backlog. It replaces the index on due
-- time alone, which the planner preferred whenever the statistics were older than a burst: the
-- claim then read past every delivery of the other subscribers, or a subscriber's every delivery.
DROP INDEX deliveries_due_idx;
CREATE INDEX deliveries_claim_idx ON deliveries (subscriber_id, next_attempt_at) WHERE status = 'pending';
