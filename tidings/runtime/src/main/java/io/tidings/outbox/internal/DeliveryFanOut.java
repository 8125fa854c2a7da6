package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

    // The matching rules live in the function (db/tidings/R__outbox.sql), which PostgreSQL plans once per session.
    static final String FAN_OUT = "tidings_fan_out(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_DELIVERIES = "SELECT " + FAN_OUT;

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
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERIES)) {
            bind(insert, 1, events, now);
            try (ResultSet written = insert.executeQuery()) {
                written.next();
                return written.getInt(1);
            }
        }
    }

    /** Binds the parameters of {@link #INSERT_DELIVERIES}, from {@code first} on, in a statement that contains it. */
    void bind(PreparedStatement statement, int first, List<RenderedEvent> events, Instant now) throws SQLException {
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        UUID[] tenants = new UUID[size];
        String[] notifications = new String[size];
        String[] olderNotifications = new String[size];
        String[] telemetry = new String[size];
        String[] privateMetadata = new String[size];
        String[] orderingKeys = new String[size];
        for (int i = 0; i < size; i++) {
            RenderedEvent event = events.get(i);
            ids[i] = event.id();
            types[i] = event.type();
            tenants[i] = event.tenantId();
            notifications[i] = event.notification();
            olderNotifications[i] = event.olderNotifications();
            telemetry[i] = event.telemetry();
            privateMetadata[i] = event.privateMetadata();
            orderingKeys[i] = event.orderingKey();
        }
        Connection connection = statement.getConnection();
        statement.setArray(first, connection.createArrayOf("uuid", ids));
        statement.setArray(first + 1, connection.createArrayOf("text", types));
        statement.setArray(first + 2, connection.createArrayOf("uuid", tenants));
        statement.setArray(first + 3, connection.createArrayOf("text", notifications));
        statement.setArray(first + 4, connection.createArrayOf("text", telemetry));
        statement.setArray(first + 5, connection.createArrayOf("text", privateMetadata));
        statement.setArray(first + 6, connection.createArrayOf("text", orderingKeys));
        statement.setObject(first + 7, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        statement.setArray(first + 8, connection.createArrayOf("text", olderNotifications));
    }

    /** One delivery of the notification payload to one subscriber, whatever its patterns. @return 1 */
    int insertDirect(Connection connection, RenderedEvent event, UUID subscriberId, Instant now) throws SQLException {
        OffsetDateTime timestamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DIRECT)) {
            insert.setObject(1, event.id());
            insert.setObject(2, subscriberId);
            insert.setString(3, event.notification());
            insert.setObject(4, timestamp);
            insert.setObject(5, timestamp);
            return insert.executeUpdate();
        }
    }
}
