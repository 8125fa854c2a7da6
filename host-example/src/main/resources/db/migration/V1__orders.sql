-- The shop's own migration, numbered in its own history: Tidings' tables are already there.
CREATE TABLE orders (
    id       uuid PRIMARY KEY,
    customer uuid    NOT NULL,
    total    numeric NOT NULL
);

ALTER TABLE events
    ADD COLUMN order_id    uuid,
    ADD COLUMN order_total numeric;

INSERT INTO event_types (name, description, telemetry_allowed) VALUES
    ('order:placed', 'A customer placed an order.', false);
