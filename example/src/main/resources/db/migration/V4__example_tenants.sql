-- The example application's projects belong to the tenant of the API key that created them, if any.
ALTER TABLE projects ADD COLUMN tenant_id uuid;
CREATE INDEX projects_tenant_idx ON projects (tenant_id);
