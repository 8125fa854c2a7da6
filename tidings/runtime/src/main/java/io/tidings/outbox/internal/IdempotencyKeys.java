package io.tidings.outbox.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The SQL on {@code event_idempotency_keys}: taking a key for an event, in the recording
 * transaction. The primary key decides between concurrent transactions (the second waits for the
 * first to end), not a read before the write.
 */
public final class IdempotencyKeys {

    private static final UUID NO_TENANT = new UUID(0, 0);

    // A key whose window has passed is taken over by this event; one in force is left as it is, and
    // the statement returns nothing.
    private static final String TAKE = """
            INSERT INTO event_idempotency_keys AS k (scope, key, event_id, fingerprint, recorded_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (scope, key) DO UPDATE
               SET event_id = excluded.event_id, fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at
             WHERE k.recorded_at <= excluded.recorded_at - ? * interval '1 ms'
            RETURNING event_id
            """;
    private static final String HELD = "SELECT event_id, fingerprint FROM event_idempotency_keys WHERE scope = ? AND key = ?";

    /** Who holds a key: the event recorded under it, and whether that is the event asking. */
    public record Holder(UUID eventId, byte[] fingerprint, boolean taken) {
    }

    private IdempotencyKeys() {
    }

    /**
     * Takes the key for the event, or finds the event that holds it within {@code window}. Waits for
     * a transaction that took it and has not ended yet.
     */
    public static Holder take(Connection connection, RenderedEvent event, String key, Instant now, Duration window)
            throws SQLException {
        UUID scope = event.tenantId() == null ? NO_TENANT : event.tenantId();
        byte[] fingerprint = fingerprint(event);
        try (PreparedStatement take = connection.prepareStatement(TAKE)) {
            take.setObject(1, scope);
            take.setString(2, key);
            take.setObject(3, event.id());
            take.setBytes(4, fingerprint);
            take.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            take.setLong(6, window.toMillis());
            try (ResultSet taken = take.executeQuery()) {
                if (taken.next()) {
                    return new Holder(event.id(), fingerprint, true);
                }
            }
        }
        // Read committed: this statement sees the row of the transaction the insert waited for.
        try (PreparedStatement held = connection.prepareStatement(HELD)) {
            held.setObject(1, scope);
            held.setString(2, key);
            try (ResultSet row = held.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("Idempotency key " + key + " was neither taken nor held");
                }
                return new Holder(row.getObject(1, UUID.class), row.getBytes(2), false);
            }
        }
    }

    /** What two recordings under one key must share: type, tenant and notification payload. */
    public static byte[] fingerprint(RenderedEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((event.type() + '\n' + event.tenantId() + '\n' + event.notification()).getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Deletes keys taken before the given time, a batch at a time (time, then batch size), as retention does. */
    public static final String EXPIRED = """
            DELETE FROM event_idempotency_keys WHERE (scope, key) IN (
                SELECT scope, key FROM event_idempotency_keys WHERE recorded_at < ?
                 LIMIT ? FOR UPDATE SKIP LOCKED)
            """;
}
