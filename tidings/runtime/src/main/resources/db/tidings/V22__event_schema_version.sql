-- The version of its type's schemas an event was rendered with, so that what leaves later carries
-- that version (and that version's $id) even after the type moved on. Null for events recorded
-- before versions were kept: they leave with the version the registry gives.
ALTER TABLE events ADD COLUMN schema_version integer;
