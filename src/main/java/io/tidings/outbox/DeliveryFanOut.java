package io.tidings.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes the outbox rows for newly recorded events: one delivery per (event, interested enabled
 * subscriber), with the payload frozen in the row. One statement for any number of events and
 * subscribers, so the cost of fan-out is one round trip.
 */
@ApplicationScoped
class DeliveryFanOut {

    // A webhook subscriber takes the notification payload of its own tenant's events whose types its
    // patterns match (the rule of TypePattern), with the private metadata if it was granted it; the
    // analytics subscriber takes the telemetry payload of exported types, whoever they belong to.
    private static final String INSERT_DELIVERIES = """
            WITH written AS (
                INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at, created_at)
                SELECT e.id, s.id,
                       CASE WHEN s.kind = 'analytics' THEN e.telemetry::jsonb
                            WHEN s.receives_private_metadata AND e.private IS NOT NULL
                                 THEN jsonb_set(e.notification::jsonb, '{private_metadata}', e.private::jsonb)
                            ELSE e.notification::jsonb END,
                       ?, ?
                  FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[])
                       AS e(id, type, tenant_id, notification, telemetry, private)
                  JOIN subscribers s ON s.enabled
                 WHERE CASE s.kind
                         WHEN 'analytics' THEN e.telemetry IS NOT NULL
                         ELSE s.tenant_id IS NOT DISTINCT FROM e.tenant_id
                              AND EXISTS (SELECT 1 FROM subscriptions p
                                           WHERE p.subscriber_id = s.id
                                             AND (p.pattern = '*' OR p.pattern = e.type
                                                  OR (right(p.pattern, 2) = ':*' AND starts_with(e.type, left(p.pattern, -1)))))
                       END
                RETURNING 1)
            SELECT count(*), CASE WHEN count(*) > 0 AND ? THEN pg_notify('""" + Outbox.CHANNEL + """
            ', '') END FROM written
            """;

    private static final String INSERT_DIRECT = """
            INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at, created_at)
            VALUES (?, ?, ?::jsonb, ?, ?)
            """;

    /**
     * Writes the deliveries and, when {@code notify} and any were written, the notification that
     * wakes the workers at commit: one round trip for both.
     *
     * @return how many delivery rows were written
     */
    int insertDeliveries(Connection connection, List<RenderedEvent> events, Instant now, boolean notify) throws SQLException {
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        UUID[] tenants = new UUID[size];
        String[] notifications = new String[size];
        String[] telemetry = new String[size];
        String[] privateMetadata = new String[size];
        for (int i = 0; i < size; i++) {
            RenderedEvent event = events.get(i);
            ids[i] = event.id();
            types[i] = event.type();
            tenants[i] = event.tenantId();
            notifications[i] = event.notification();
            telemetry[i] = event.telemetry();
            privateMetadata[i] = event.privateMetadata();
        }
        OffsetDateTime timestamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERIES)) {
            insert.setObject(1, timestamp);
            insert.setObject(2, timestamp);
            insert.setArray(3, connection.createArrayOf("uuid", ids));
            insert.setArray(4, connection.createArrayOf("text", types));
            insert.setArray(5, connection.createArrayOf("uuid", tenants));
            insert.setArray(6, connection.createArrayOf("text", notifications));
            insert.setArray(7, connection.createArrayOf("text", telemetry));
            insert.setArray(8, connection.createArrayOf("text", privateMetadata));
            insert.setBoolean(9, notify);
            try (java.sql.ResultSet written = insert.executeQuery()) {
                written.next();
                return written.getInt(1);
            }
        }
    }

    /** One delivery of the notification payload to one subscriber, whatever its patterns. */
    void insertDirect(Connection connection, RenderedEvent event, UUID subscriberId, Instant now) throws SQLException {
        OffsetDateTime timestamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DIRECT)) {
            insert.setObject(1, event.id());
            insert.setObject(2, subscriberId);
            insert.setString(3, event.notification());
            insert.setObject(4, timestamp);
            insert.setObject(5, timestamp);
            insert.executeUpdate();
        }
    }
}
