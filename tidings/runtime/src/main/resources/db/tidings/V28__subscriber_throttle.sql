-- A subscriber may be sent at most max_per_second deliveries a second, over all instances together.
-- The claim keeps the pace in delivery_throttles: next_free_at is when the subscriber's next
-- delivery may be claimed, on the database's clock (a generic cell rate: each claimed delivery moves
-- it on by 1/max_per_second, and a claim may run up to one poll interval ahead of it). Deliveries
-- held back by it stay pending and due; they spend no attempt.
ALTER TABLE subscribers ADD COLUMN max_per_second integer CHECK (max_per_second > 0);
CREATE TABLE delivery_throttles (
    subscriber_id uuid        PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
    next_free_at  timestamptz NOT NULL
);
