-- A webhook may authenticate with OAuth 2.0 client credentials: the client's secret is sealed with
-- its headers (sealed_credentials, as {"headers": {...}, "oauth2": {...}}); what the API shows of it
-- (the kind, the token URL, the client id and the scope) is kept in clear here, as JSON.
ALTER TABLE subscribers ADD COLUMN auth_summary text;
