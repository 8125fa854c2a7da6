-- A webhook keeps every previous secret still within its overlap, not just the last one: a second
-- rotation inside the overlap would otherwise drop a secret receivers may still verify with.
-- Secrets are sealed by the application (tidings.secrets.key) at its next start.
ALTER TABLE subscribers ADD COLUMN previous_secrets jsonb NOT NULL DEFAULT '[]';
UPDATE subscribers
   SET previous_secrets = jsonb_build_array(jsonb_build_object(
           'secret', previous_secret,
           'expires_at', to_char(previous_secret_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
 WHERE previous_secret IS NOT NULL AND previous_secret_expires_at > now();
ALTER TABLE subscribers DROP COLUMN previous_secret, DROP COLUMN previous_secret_expires_at;
