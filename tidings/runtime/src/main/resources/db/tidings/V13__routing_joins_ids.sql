-- Routing the subscribers of a bulk statement joins their ids instead of testing each row with
-- "= ANY (ids)". Inside a function the array is a parameter, which PostgreSQL searches element by
-- element: once stale statistics made the planner scan subscribers, routing 100,000 webhooks in one
-- statement compared every row with every id and ran for hours. A join is linear whatever the plan.
CREATE OR REPLACE FUNCTION tidings_route_subscribers(ids uuid[]) RETURNS void
    LANGUAGE sql
AS $$
    DELETE FROM subscriber_routes r USING (SELECT DISTINCT unnest(ids) AS id) c WHERE r.subscriber_id = c.id;
    INSERT INTO subscriber_routes
    SELECT DISTINCT t.name,
           CASE WHEN s.all_tenants THEN tidings_any_tenant() ELSE coalesce(s.tenant_id, tidings_no_tenant()) END,
           s.id, s.payload, s.receives_private_metadata
      FROM (SELECT DISTINCT unnest(ids) AS id) c
      JOIN subscribers s ON s.id = c.id
      JOIN subscriptions p ON p.subscriber_id = s.id
      JOIN event_types t ON p.pattern = '*' OR p.pattern = t.name
                         OR (right(p.pattern, 2) = ':*' AND starts_with(t.name, left(p.pattern, -1)))
     WHERE s.enabled AND (s.payload <> 'telemetry' OR t.telemetry_allowed);
$$;
