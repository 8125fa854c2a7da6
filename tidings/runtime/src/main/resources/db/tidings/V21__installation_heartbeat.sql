-- installation:heartbeat: what it counted, and the last day an instance of the installation sent it.
ALTER TABLE events ADD COLUMN heartbeat jsonb;
ALTER TABLE installation ADD COLUMN heartbeat_day date;
