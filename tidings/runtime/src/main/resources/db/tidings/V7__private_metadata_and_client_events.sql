-- Private metadata: stored with the event, sent only to subscribers explicitly granted it.
ALTER TABLE events ADD COLUMN private_metadata jsonb;
ALTER TABLE subscribers ADD COLUMN receives_private_metadata boolean NOT NULL DEFAULT false;

-- Events that browser code may send through the relay, and what they carry.
ALTER TABLE event_types ADD COLUMN client_allowed boolean NOT NULL DEFAULT false;
ALTER TABLE events ADD COLUMN client_properties jsonb;

INSERT INTO event_types (name, description, telemetry_allowed, client_allowed) VALUES
    ('client:screen_viewed', 'A person opened a screen of the application (sent by the browser).', true, true);
