-- A subscription may pin the version of an exact type's payload ('project:job:failed@1'): its
-- subscriber keeps receiving that version while the event class still renders it. The pattern
-- keeps the pin, as the API shows it; the generated columns split it for routing.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_pattern_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_pattern_check
    CHECK (pattern = '*' OR pattern ~ '^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)*((:\*)|(@[1-9][0-9]{0,8}))?$');
ALTER TABLE subscriptions
    ADD COLUMN type_pattern text GENERATED ALWAYS AS (split_part(pattern, '@', 1)) STORED,
    ADD COLUMN schema_version integer GENERATED ALWAYS AS (nullif(split_part(pattern, '@', 2), '')::integer) STORED;

-- The route carries the pin to the fan-out, and the delivery the version its payload was rendered
-- with, where that is not the event's own (null: the event's).
ALTER TABLE subscriber_routes ADD COLUMN schema_version integer;
ALTER TABLE deliveries ADD COLUMN schema_version integer;

-- The earlier versions each type's class still renders, and those going away: what a pin may name.
ALTER TABLE event_types ADD COLUMN older_versions integer[] NOT NULL DEFAULT '{}',
                        ADD COLUMN deprecated_versions integer[] NOT NULL DEFAULT '{}';
