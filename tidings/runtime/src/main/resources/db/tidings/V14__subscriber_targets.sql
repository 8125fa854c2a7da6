-- A subscriber kind is a plug-in: the core names none. Each kind keeps its own settings in target
-- (a webhook its URL, a broker its topic), which the claim hands to the kind's sender whole; the
-- sealed secret stays a column of its own, opened by the core for whichever kind needs one.
ALTER TABLE subscribers ADD COLUMN target jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(target) = 'object');
UPDATE subscribers SET target = jsonb_build_object('url', url) WHERE url IS NOT NULL;
ALTER TABLE subscribers DROP COLUMN url;
ALTER TABLE subscribers DROP CONSTRAINT subscribers_kind_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_kind_named CHECK (kind ~ '^[a-z][a-z0-9_-]*$');
