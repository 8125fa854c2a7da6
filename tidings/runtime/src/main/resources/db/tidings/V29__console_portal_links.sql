-- A host application hands one of its users into the console for a tenant with a portal link: a
-- single-use token, valid for minutes, kept here as its SHA-256. Following it opens a console
-- session for that tenant alone, with no API key behind it: such a session holds the tenant
-- instead of a key's hash, and ends with the tenant.
CREATE TABLE console_portal_links (
    token_hash bytea       PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX console_portal_links_expires_idx ON console_portal_links (expires_at);

ALTER TABLE console_sessions
    ALTER COLUMN key_hash DROP NOT NULL,
    ADD COLUMN tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
    ADD CONSTRAINT console_sessions_one_holder CHECK ((key_hash IS NULL) <> (tenant_id IS NULL));
-- Deleting a tenant finds its links and sessions by these.
CREATE INDEX console_portal_links_tenant_idx ON console_portal_links (tenant_id);
CREATE INDEX console_sessions_tenant_idx ON console_sessions (tenant_id) WHERE tenant_id IS NOT NULL;
