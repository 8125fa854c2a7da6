-- The shop's own migration, numbered in its own history: Tidings' tables are already there.
-- Its event type is declared on OrderEvent (@Emits), not here.
CREATE TABLE orders (
    id       uuid PRIMARY KEY,
    customer uuid    NOT NULL,
    total    numeric NOT NULL
);

ALTER TABLE events
    ADD COLUMN order_id    uuid,
    ADD COLUMN order_total numeric;
