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
import java.util.Arrays;
import java.util.UUID;

/**
 * The SQL on {@code event_idempotency_keys}: taking a key for an event, in the recording
 * transaction. The primary key decides between concurrent transactions (the second waits for the
 * first to end), not a read before the write.
 */
public final class IdempotencyKeys {

    private static final UUID NO_TENANT = new UUID(0, 0);

    // A key whose window has passed is taken over by this event; one in force keeps its event. The
    // row comes back either way (an update that changes nothing), with the event that holds it.
    static final String TAKE = """
            INSERT INTO event_idempotency_keys AS k (scope, key, event_id, fingerprint, recorded_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (scope, key) DO UPDATE
               SET event_id = CASE WHEN k.recorded_at <= excluded.recorded_at - ? * interval '1 ms' THEN excluded.event_id ELSE k.event_id END,
                   fingerprint = CASE WHEN k.recorded_at <= excluded.recorded_at - ? * interval '1 ms' THEN excluded.fingerprint ELSE k.fingerprint END,
                   recorded_at = CASE WHEN k.recorded_at <= excluded.recorded_at - ? * interval '1 ms' THEN excluded.recorded_at ELSE k.recorded_at END
            RETURNING event_id, fingerprint
            """;
    /** A condition on three parameters (scope, key, event id): the key is held by that event. */
    static final String TAKEN = "EXISTS (SELECT 1 FROM event_idempotency_keys WHERE scope = ? AND key = ? AND event_id = ?)";
    static final int TAKE_PARAMETERS = 8;

    /**
     * Who holds a key: the event recorded under it, whether that is the event asking, and whether
     * the two share type, tenant and payload.
     */
    public record Holder(UUID eventId, boolean taken, boolean samePayload) {
    }

    private IdempotencyKeys() {
    }

    /**
     * Takes the key for the event, or finds the event that holds it within {@code window}. Waits for
     * a transaction that took it and has not ended yet.
     */
    public static Holder take(Connection connection, RenderedEvent event, String key, Instant now, Duration window)
            throws SQLException {
        byte[] fingerprint = fingerprint(event);
        try (PreparedStatement take = connection.prepareStatement(TAKE)) {
            bindTake(take, 1, event, fingerprint, key, now, window);
            try (ResultSet holder = take.executeQuery()) {
                return holder(holder, event, fingerprint);
            }
        }
    }

    /** Binds {@link #TAKE} from parameter {@code first} on. @return the index after its parameters */
    static int bindTake(PreparedStatement statement, int first, RenderedEvent event, byte[] fingerprint, String key, Instant now,
            Duration window) throws SQLException {
        statement.setObject(first, scope(event));
        statement.setString(first + 1, key);
        statement.setObject(first + 2, event.id());
        statement.setBytes(first + 3, fingerprint);
        statement.setObject(first + 4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        for (int i = 5; i < TAKE_PARAMETERS; i++) {
            statement.setLong(first + i, window.toMillis());
        }
        return first + TAKE_PARAMETERS;
    }

    /** Binds {@link #TAKEN} from parameter {@code first} on. @return the index after its parameters */
    static int bindTaken(PreparedStatement statement, int first, RenderedEvent event, String key) throws SQLException {
        statement.setObject(first, scope(event));
        statement.setString(first + 1, key);
        statement.setObject(first + 2, event.id());
        return first + 3;
    }

    /** Reads what {@link #TAKE} returned. @param fingerprint the event's, as bound */
    static Holder holder(ResultSet row, RenderedEvent event, byte[] fingerprint) throws SQLException {
        row.next();
        UUID holder = row.getObject(1, UUID.class);
        return new Holder(holder, holder.equals(event.id()), Arrays.equals(row.getBytes(2), fingerprint));
    }

    private static UUID scope(RenderedEvent event) {
        return event.tenantId() == null ? NO_TENANT : event.tenantId();
    }

    /** What two recordings under one key must share: type, tenant and notification payload. */
    static byte[] fingerprint(RenderedEvent event) {
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
