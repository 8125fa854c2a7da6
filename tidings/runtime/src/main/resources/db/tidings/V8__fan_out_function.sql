-- The fan-out of newly recorded events to their subscribers, as a function so that PostgreSQL
-- plans it once per session. As a parameterised statement the planner's estimate for unnest() of
-- an unknown array made every generic plan look worse than a custom one, so it re-planned the
-- join on every call: that planning, not the insert, was half the cost of recording an event.
--
-- A webhook subscriber takes the notification payload of its own tenant's events (events with no
-- tenant go to subscribers with no tenant) whose types its patterns match (the rule of
-- TypePattern), with the private metadata if it was granted it; the analytics subscriber takes the
-- telemetry payload of exported types, whoever they belong to. Returns how many rows it wrote.
CREATE FUNCTION tidings_fan_out(event_ids uuid[], event_types text[], event_tenants uuid[],
                                notification_payloads text[], telemetry_payloads text[],
                                private_payloads text[], due_at timestamptz)
    RETURNS integer
    LANGUAGE plpgsql
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    written integer;
BEGIN
    INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at, created_at)
    SELECT e.id, s.id,
           CASE WHEN s.kind = 'analytics' THEN e.telemetry::jsonb
                WHEN s.receives_private_metadata AND e.private IS NOT NULL
                     THEN jsonb_set(e.notification::jsonb, '{private_metadata}', e.private::jsonb)
                ELSE e.notification::jsonb END,
           due_at, due_at
      FROM unnest(event_ids, event_types, event_tenants, notification_payloads, telemetry_payloads, private_payloads)
           AS e(id, type, tenant_id, notification, telemetry, private)
      JOIN subscribers s ON s.enabled
     WHERE CASE s.kind
             WHEN 'analytics' THEN e.telemetry IS NOT NULL
             ELSE s.tenant_id IS NOT DISTINCT FROM e.tenant_id
                  AND EXISTS (SELECT 1 FROM subscriptions p
                               WHERE p.subscriber_id = s.id
                                 AND (p.pattern = '*' OR p.pattern = e.type
                                      OR (right(p.pattern, 2) = ':*' AND starts_with(e.type, left(p.pattern, -1)))))
           END;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
