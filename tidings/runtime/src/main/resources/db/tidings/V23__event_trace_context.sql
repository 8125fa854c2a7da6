-- The W3C trace context an event was recorded in, where the application traces: what is sent for it
-- later joins that trace. Null for an event recorded outside any trace.
ALTER TABLE events ADD COLUMN traceparent text, ADD COLUMN tracestate text;
