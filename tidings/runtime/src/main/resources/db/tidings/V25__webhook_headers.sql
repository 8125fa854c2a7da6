-- Credentials a subscriber's receiver needs besides its signature (a webhook's own headers, for a
-- gateway in front of it), sealed like its secrets; and, in clear, the names of those headers, which
-- the API shows while the values stay sealed.
ALTER TABLE subscribers ADD COLUMN sealed_credentials text, ADD COLUMN header_names text;
