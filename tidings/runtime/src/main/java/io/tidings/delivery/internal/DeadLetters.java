package io.tidings.delivery.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;

/**
 * Keeps what a stream's sink refused for good as a dead delivery with its attempt, under the
 * record's own id, where the API,
 * the console, retry and recover find dead deliveries: the stream itself writes no row per record
 * and moves on.
 */
public final class DeadLetters {

    private static final String INSERT = """
            WITH dead AS (
                INSERT INTO deliveries (id, event_id, subscriber_id, status, payload, attempts, next_attempt_at, last_error, created_at)
                VALUES (?, ?, ?, 'dead', cast(? AS jsonb), ?, ?, ?, ?)
                ON CONFLICT (event_id, subscriber_id) DO UPDATE
                   SET status = 'dead', attempts = deliveries.attempts + excluded.attempts,
                       next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, lease_expires_at = NULL
                RETURNING id)
            INSERT INTO delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, response_excerpt, error)
            SELECT id, ?, ?, ?, ?, ? FROM dead
            """;

    private DeadLetters() {
    }

    /** A record and the result that refused it. */
    public record DeadLetter(ClaimedDelivery record, AttemptResult result) {
    }

    /** Writes the dead letters in the connection's transaction. */
    public static void insert(Connection connection, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (DeadLetter letter : letters) {
                ClaimedDelivery record = letter.record();
                AttemptResult result = letter.result();
                OffsetDateTime finished = timestamp(result);
                int i = 1;
                insert.setObject(i++, record.id());
                insert.setObject(i++, record.eventId());
                insert.setObject(i++, record.subscriberId());
                insert.setString(i++, record.payload());
                insert.setInt(i++, record.attempt());
                insert.setObject(i++, finished);
                insert.setString(i++, result.describe());
                insert.setObject(i++, OffsetDateTime.ofInstant(record.createdAt(), ZoneOffset.UTC));
                insert.setObject(i++, OffsetDateTime.ofInstant(result.startedAt(), ZoneOffset.UTC));
                insert.setInt(i++, (int) Math.min(Integer.MAX_VALUE, result.duration().toMillis()));
                insert.setObject(i++, result.statusCode());
                insert.setString(i++, result.excerpt());
                insert.setString(i, result.error());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static OffsetDateTime timestamp(AttemptResult result) {
        return OffsetDateTime.ofInstant(result.startedAt().plus(result.duration()), ZoneOffset.UTC);
    }
}
