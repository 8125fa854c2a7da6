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

    // The matching rules live in the function (migration V8), which PostgreSQL plans once per session.
    private static final String INSERT_DELIVERIES = "SELECT tidings_fan_out(?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT_DIRECT = """
            INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at, created_at)
            VALUES (?, ?, ?::jsonb, ?, ?)
            """;

    /**
     * Writes the deliveries of the events to every enabled subscriber that wants them.
     *
     * @return how many delivery rows were written
     */
    int insertDeliveries(Connection connection, List<RenderedEvent> events, Instant now) throws SQLException {
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
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("text", types));
            insert.setArray(3, connection.createArrayOf("uuid", tenants));
            insert.setArray(4, connection.createArrayOf("text", notifications));
            insert.setArray(5, connection.createArrayOf("text", telemetry));
            insert.setArray(6, connection.createArrayOf("text", privateMetadata));
            insert.setObject(7, timestamp);
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
