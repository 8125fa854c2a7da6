-- The console: a webhook's last success for its health at a glance, and signed-in browser sessions.

-- Written by the outcome observer about once a minute at most per webhook, not on every batch.
ALTER TABLE subscribers ADD COLUMN last_success_at timestamptz;

-- The browser holds a random token; a row holds its SHA-256 and the SHA-256 of the key that signed
-- in (never the key), checked against api_keys or the admin key on every request.
CREATE TABLE console_sessions (
    token_hash bytea PRIMARY KEY,
    key_hash   bytea       NOT NULL,
    csrf_token text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at);
