package io.tidings.stream.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.delivery.internal.DeadLetters;
import io.tidings.delivery.internal.DeadLetters.DeadLetter;
import io.tidings.outbox.internal.WorkerWakeUp;

/**
 * The streams' cursors, {@code stream_cursors}: where each stream is, who reads it under which
 * fence, and how its sink fares. Every change a reader makes is fenced: it names the fence it took
 * the lease with, so a reader that lost its lease changes nothing.
 */
@Singleton
public class StreamCursors {

    /** The outbox channel's payload that says a stream was created, reset, paused, resumed or deleted. */
    public static final String CHANGED = "streams";
    private static final String ANNOUNCE = "SELECT pg_notify('" + WorkerWakeUp.CHANNEL + "', '" + CHANGED + "')";

    private static final String STATE = """
            done_snapshot::text, done_low, done_at, window_snapshot::text, window_low, window_high, window_at, after_position""";
    // Starts (or restarts) a cursor. A restart takes the stream from whoever reads it.
    private static final String START = """
            INSERT INTO stream_cursors (subscriber_id, done_snapshot, done_low, done_at)
            SELECT ?, start.snapshot, start.low, ? FROM (%s) start
            ON CONFLICT (subscriber_id) DO UPDATE
               SET done_snapshot = excluded.done_snapshot, done_low = excluded.done_low, done_at = excluded.done_at,
                   window_snapshot = NULL, window_low = NULL, window_high = NULL, window_at = NULL, after_position = 0,
                   fence = stream_cursors.fence + 1, lease_owner = NULL, lease_expires_at = NULL,
                   failures = 0, next_attempt_at = NULL, last_error = NULL, behind_since = NULL
            """;
    private static final String FROM_NOW = "SELECT snapshot, cast(? AS bigint) AS low FROM tidings_stream_snapshot()";
    // No transaction is visible in '3:3:' (3 is the first ordinary transaction id): every kept event is ahead.
    private static final String FROM_BEGINNING = "SELECT cast('3:3:' AS pg_snapshot) AS snapshot, 0::bigint AS low";
    private static final String FROM_TIME = """
            SELECT cast('3:3:' AS pg_snapshot) AS snapshot,
                   coalesce((SELECT position FROM events WHERE recorded_at < ? AND position IS NOT NULL
                              ORDER BY recorded_at DESC LIMIT 1), 0) AS low""";
    private static final String ACQUIRE = """
            UPDATE stream_cursors SET fence = fence + 1, lease_owner = ?, lease_expires_at = clock_timestamp() + ? * interval '1 ms'
             WHERE subscriber_id = ? AND (lease_expires_at IS NULL OR lease_expires_at < clock_timestamp())
            RETURNING fence, failures, """ + STATE;
    private static final String RENEW = """
            UPDATE stream_cursors SET lease_expires_at = clock_timestamp() + ? * interval '1 ms'
             WHERE subscriber_id = ? AND fence = ?""";
    private static final String MOVE = """
            UPDATE stream_cursors
               SET done_snapshot = cast(? AS pg_snapshot), done_low = ?, done_at = ?, window_snapshot = cast(? AS pg_snapshot),
                   window_low = ?, window_high = ?, window_at = ?, after_position = ?, sent = sent + ?,
                   failures = 0, next_attempt_at = NULL, last_error = NULL,
                   lease_expires_at = clock_timestamp() + ? * interval '1 ms'
             WHERE subscriber_id = ? AND fence = ?""";
    private static final String FAILED = """
            UPDATE stream_cursors SET failures = ?, last_error = ?, next_attempt_at = ? WHERE subscriber_id = ? AND fence = ?""";
    private static final String RELEASE = """
            UPDATE stream_cursors SET lease_owner = NULL, lease_expires_at = NULL WHERE subscriber_id = ? AND fence = ?""";
    private static final String MARK_BEHIND = """
            UPDATE stream_cursors SET behind_since = ? WHERE behind_since IS NULL AND done_at < ?""";
    private static final String STATUS = """
            SELECT c.subscriber_id, s.kind, s.enabled, c.done_at, c.sent, c.failures, c.last_error, c.next_attempt_at,
                   c.behind_since, c.lease_owner, c.lease_expires_at > clock_timestamp()
              FROM stream_cursors c JOIN subscribers s ON s.id = c.subscriber_id""";

    // The writers that hold streams back: a transaction with an id, open since xact_start.
    private static final String OLDEST_WRITER = """
            SELECT coalesce(extract(epoch FROM clock_timestamp() - min(xact_start)), 0) FROM pg_stat_activity
             WHERE backend_xid IS NOT NULL AND datname = current_database()""";

    private final DataSource dataSource;
    private final StreamLog log;
    private final Clock clock;

    @Inject
    public StreamCursors(DataSource dataSource, StreamLog log, Clock clock) {
        this.dataSource = dataSource;
        this.log = log;
        this.clock = clock;
    }

    /** Where a new stream starts, or a reset one starts again: now, the oldest kept event, or a time. */
    public record Start(String sql, Instant time) {

        public static Start now() {
            return new Start(FROM_NOW, null);
        }

        public static Start beginning() {
            return new Start(FROM_BEGINNING, null);
        }

        /** The first event recorded at or after {@code time}, and the events after it. */
        public static Start at(Instant time) {
            return new Start(FROM_TIME, time);
        }
    }

    /** A cursor as its reader holds it. */
    record Held(UUID subscriberId, long fence, int failures, StreamPosition position) {
    }

    /** What the API and the metrics show of a stream. */
    public record Status(UUID subscriberId, String kind, boolean enabled, Instant doneAt, long sent, int failures,
            String lastError, Instant nextAttemptAt, Instant behindSince, String reader, boolean leased) {

        /** How far behind the stream is: every event committed before {@code now} minus this has been sent. */
        public Duration lag(Instant now) {
            return Duration.between(doneAt, now);
        }
    }

    /**
     * Starts the stream's cursor at {@code start}, in the connection's transaction; a cursor that
     * exists starts again there, and its reader, in whatever instance, stops at its next move.
     */
    public void start(Connection connection, UUID subscriberId, Start start) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(START.formatted(start.sql()))) {
            insert.setObject(1, subscriberId);
            insert.setObject(2, timestamp(clock.instant()));
            if (start.time() != null) {
                insert.setObject(3, timestamp(start.time()));
            } else if (start.sql().equals(FROM_NOW)) {
                insert.setLong(3, tick()); // committed on a connection of its own, before this statement's snapshot
            }
            insert.executeUpdate();
        }
        announce(connection);
    }

    /**
     * Tells the stream readers of every instance, once the connection's transaction commits, that
     * streams changed: a new or reset stream starts being read then, not at their next poll.
     */
    public void announce(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(ANNOUNCE);
        }
    }

    private long tick() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return log.tick(connection);
        }
    }

    /** Takes the stream's lease when nobody holds it, with a new fence. */
    Optional<Held> acquire(UUID subscriberId, String owner, Duration lease) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement acquire = connection.prepareStatement(ACQUIRE)) {
            acquire.setString(1, owner);
            acquire.setLong(2, lease.toMillis());
            acquire.setObject(3, subscriberId);
            try (ResultSet row = acquire.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Held(subscriberId, row.getLong(1), row.getInt(2), position(row, 3)));
            }
        }
    }

    /** @return false when the lease is lost: another reader holds the stream, or it was reset */
    boolean renew(Held held, Duration lease) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement renew = connection.prepareStatement(RENEW)) {
            renew.setLong(1, lease.toMillis());
            renew.setObject(2, held.subscriberId());
            renew.setLong(3, held.fence());
            return renew.executeUpdate() == 1;
        }
    }

    /**
     * Moves the cursor to {@code to}, keeping the dead letters, in one transaction; renews the lease.
     *
     * @return false, and nothing written, when the lease is lost
     */
    boolean move(Held held, StreamPosition to, int sent, List<DeadLetter> dead, Duration lease) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement move = connection.prepareStatement(MOVE)) {
                bindPosition(move, to);
                move.setInt(9, sent);
                move.setLong(10, lease.toMillis());
                move.setObject(11, held.subscriberId());
                move.setLong(12, held.fence());
                if (move.executeUpdate() != 1) {
                    connection.rollback();
                    return false;
                }
                DeadLetters.insert(connection, dead);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Records that the sink failed; the stream tries again at {@code next}. @return false when the lease is lost */
    boolean failed(Held held, int failures, String error, Instant next) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement failed = connection.prepareStatement(FAILED)) {
            failed.setInt(1, failures);
            failed.setString(2, error);
            failed.setObject(3, timestamp(next));
            failed.setObject(4, held.subscriberId());
            failed.setLong(5, held.fence());
            return failed.executeUpdate() == 1;
        }
    }

    /** Lets another instance take the stream at once. */
    void release(Held held) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement release = connection.prepareStatement(RELEASE)) {
            release.setObject(1, held.subscriberId());
            release.setLong(2, held.fence());
            release.executeUpdate();
        }
    }

    /** Marks the streams whose cursor is older than {@code maxLag} behind. @return how many were marked */
    int markBehind(Duration maxLag) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection(); PreparedStatement mark = connection.prepareStatement(MARK_BEHIND)) {
            mark.setObject(1, timestamp(now));
            mark.setObject(2, timestamp(now.minus(maxLag)));
            return mark.executeUpdate();
        }
    }

    /** Every stream's state. */
    public List<Status> statuses() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(STATUS);
                ResultSet rows = select.executeQuery()) {
            List<Status> statuses = new ArrayList<>();
            while (rows.next()) {
                statuses.add(new Status(rows.getObject(1, UUID.class), rows.getString(2), rows.getBoolean(3), instant(rows, 4),
                        rows.getLong(5), rows.getInt(6), rows.getString(7), instant(rows, 8), instant(rows, 9),
                        rows.getString(10), rows.getBoolean(11)));
            }
            return statuses;
        }
    }

    /**
     * How long the oldest open transaction that writes has been open, in seconds: a stream sends no
     * event of it until it ends, and retention keeps every event since.
     */
    public double oldestOpenWriter() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(OLDEST_WRITER);
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getDouble(1);
        }
    }

    private static void bindPosition(PreparedStatement statement, StreamPosition to) throws SQLException {
        statement.setString(1, to.doneSnapshot());
        statement.setLong(2, to.doneLow());
        statement.setObject(3, timestamp(to.doneAt()));
        statement.setString(4, to.windowSnapshot());
        statement.setObject(5, to.inWindow() ? to.windowLow() : null, Types.BIGINT);
        statement.setObject(6, to.inWindow() ? to.windowHigh() : null, Types.BIGINT);
        statement.setObject(7, to.inWindow() ? timestamp(to.windowAt()) : null, Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setLong(8, to.after());
    }

    private static StreamPosition position(ResultSet row, int first) throws SQLException {
        return new StreamPosition(row.getString(first), row.getLong(first + 1), instant(row, first + 2), row.getString(first + 3),
                row.getLong(first + 4), row.getLong(first + 5), instant(row, first + 6), row.getLong(first + 7));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
