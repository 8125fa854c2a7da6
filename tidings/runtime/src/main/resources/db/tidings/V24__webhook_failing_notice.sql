-- When webhook:failing was last recorded for a failing webhook: once when it starts failing, then at
-- most once an hour while it lasts; cleared when it delivers again.
ALTER TABLE subscribers ADD COLUMN failing_noticed_at timestamptz;
