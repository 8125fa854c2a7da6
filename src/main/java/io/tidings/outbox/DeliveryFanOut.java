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

    // A webhook subscriber takes the notification payload of the types its patterns match (the rule of
    // TypePattern); the analytics subscriber takes the telemetry payload of telemetry-allowed types.
    private static final String INSERT_DELIVERIES = """
            INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at, created_at)
            SELECT e.id, s.id, (CASE s.kind WHEN 'analytics' THEN e.telemetry ELSE e.notification END)::jsonb, ?, ?
              FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS e(id, type, notification, telemetry)
              JOIN subscribers s ON s.enabled
             WHERE CASE s.kind
                     WHEN 'analytics' THEN e.telemetry IS NOT NULL
                     ELSE EXISTS (SELECT 1 FROM subscriptions p
                                   WHERE p.subscriber_id = s.id
                                     AND (p.pattern = '*' OR p.pattern = e.type
                                          OR (right(p.pattern, 2) = ':*' AND starts_with(e.type, left(p.pattern, -1)))))
                   END
            """;

    /** @return how many delivery rows were written */
    int insertDeliveries(Connection connection, List<RenderedEvent> events, Instant now) throws SQLException {
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        String[] notifications = new String[size];
        String[] telemetry = new String[size];
        for (int i = 0; i < size; i++) {
            RenderedEvent event = events.get(i);
            ids[i] = event.id();
            types[i] = event.type();
            notifications[i] = event.notification();
            telemetry[i] = event.telemetry();
        }
        OffsetDateTime timestamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERIES)) {
            insert.setObject(1, timestamp);
            insert.setObject(2, timestamp);
            insert.setArray(3, connection.createArrayOf("uuid", ids));
            insert.setArray(4, connection.createArrayOf("text", types));
            insert.setArray(5, connection.createArrayOf("text", notifications));
            insert.setArray(6, connection.createArrayOf("text", telemetry));
            return insert.executeUpdate();
        }
    }
}
