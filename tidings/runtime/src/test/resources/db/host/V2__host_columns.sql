-- A host application's layer of events, which needs Tidings' tables first.
ALTER TABLE events ADD COLUMN order_id uuid;
