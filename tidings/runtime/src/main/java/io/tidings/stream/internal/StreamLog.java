package io.tidings.stream.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import io.tidings.delivery.internal.DeliveryQueue;

/**
 * Reads the events as a log, a window at a time (see {@link StreamPosition}): the only code that
 * reads {@code events} by transaction snapshots. A page holds the events of the window past the
 * position, in position order, that the stream's selection takes; the selection is applied here, in
 * the statement, so that a stream that takes few types never reads the others twice.
 */
@Singleton
class StreamLog {

    // Whether the stream takes the event: its types, its tenant scope, a telemetry payload to send.
    private static final String TAKES = """
            e.type = ANY (cast(? AS text[]))
               AND (? OR e.tenant_id IS NOT DISTINCT FROM cast(? AS uuid))
               AND (CASE WHEN ? THEN e.telemetry ELSE e.notification END) IS NOT NULL""";
    private static final String COLUMNS = """
            e.position, e.id, e.type, e.tenant_id, e.ordering_key, e.occurred_at, e.recorded_at,
                   CASE WHEN ? THEN e.telemetry ELSE e.notification END AS payload, coalesce(e.schema_version, 0), e.traceparent, e.tracestate""";
    // Events of transactions that began after the done snapshot: a range of positions read in index
    // order, so that a page of a large window reads one page.
    static final String AFTER = """
            SELECT %1$s
              FROM events e
             WHERE e.position > ? AND e.position <= ?
               AND e.txid >= pg_snapshot_xmax(cast(? AS pg_snapshot)) AND pg_visible_in_snapshot(e.txid, cast(? AS pg_snapshot))
               AND %2$s
             ORDER BY e.position LIMIT ?""".formatted(COLUMNS, TAKES);
    // Events of transactions that were open at the done snapshot and committed in the window, by their
    // ids: read only when there are such transactions (the two snapshots tell), and never the rows of
    // those still open, however much they wrote. One statement for both parts let a plan made for the
    // usual case (none) walk the whole table when one transaction had written most of it.
    static final String LATE = """
            SELECT %1$s
              FROM events e
             WHERE e.txid = ANY (cast(cast(? AS text[]) AS xid8[])) AND e.position > ?
               AND %2$s
             ORDER BY e.position LIMIT ?""".formatted(COLUMNS, TAKES);
    // Cheap statements with plans made for their values: a plan made for other values, or JIT
    // compilation where a server's thresholds allow it, once cost a page 200 ms to 4 s.
    static final String SETTINGS = DeliveryQueue.HOT_PATH_SETTINGS;

    private static final String TICK = """
            SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM tidings_event_position;
            SELECT set_config('synchronous_commit', 'off', true), pg_current_xact_id()""";
    private static final long TICK_SHARED_NANOS = 10_000_000L;

    private record Tick(long low, long at) {
    }

    // Per database: this bean's, or a test's own instance.
    private volatile Tick lastTick;

    /** What a stream takes: event types, tenants, and which payload. @param tenantId null for events of no tenant */
    record Selection(String[] types, boolean allTenants, UUID tenantId, boolean telemetry) {
    }

    /** An event as the log holds it, with its payload as rendered when it was recorded. */
    record Entry(long position, UUID eventId, String type, UUID tenantId, String orderingKey, Instant occurredAt,
            Instant recordedAt, String payload, int schemaVersion, String traceparent, String tracestate) {
    }

    /**
     * A page read at {@code window} (the position it was read from, with its window open).
     *
     * @param next where the stream is once every entry is sent: the window finished when the page was not full
     */
    record Page(StreamPosition window, List<Entry> entries, StreamPosition next) {

        /** Where the stream is once the first {@code count} entries are sent. */
        StreamPosition after(int count) {
            return count == entries.size() ? next : count == 0 ? window : window.sentUpTo(entries.get(count - 1).position());
        }
    }

    /** The next page after {@code from}, opening a window at the current snapshot when none is open. */
    Page read(Connection connection, StreamPosition from, Selection selection, int limit, Instant now) throws SQLException {
        StreamPosition window = from.inWindow() ? from : open(connection, from, now);
        List<Entry> entries = page(connection, window, selection, limit);
        StreamPosition next = entries.size() < limit ? window.finished() : window.sentUpTo(entries.get(limit - 1).position());
        return new Page(window, entries, next);
    }

    /** The bounds of a window at the current snapshot, after a tick (see {@link #tick}). */
    StreamPosition open(Connection connection, StreamPosition from, Instant now) throws SQLException {
        long low = tick(connection);
        try (Statement statement = connection.createStatement();
                ResultSet bounds = statement.executeQuery("SELECT snapshot::text, high FROM tidings_stream_snapshot()")) {
            bounds.next();
            return from.opened(low, bounds.getString(1), bounds.getLong(2), now);
        }
    }

    /**
     * Reads a position, then takes a transaction id and commits it (without waiting for the WAL:
     * the id only has to be finished, not durable). Any snapshot taken after this returns has an
     * xmax past that id, so a transaction at or past the xmax took its id after the position was
     * read and writes above it (migration V17 says why a snapshot's xmax alone does not tell).
     * Ticks of the last few milliseconds are shared: an older bound is as true, only looser.
     *
     * @param connection in autocommit mode
     * @return the position read
     */
    long tick(Connection connection) throws SQLException {
        Tick last = lastTick;
        if (last != null && System.nanoTime() - last.at() < TICK_SHARED_NANOS) {
            return last.low();
        }
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute(TICK);
            try (ResultSet low = statement.getResultSet()) {
                low.next();
                Tick tick = new Tick(low.getLong(1), started);
                lastTick = tick;
                return tick.low();
            }
        }
    }

    // In a transaction of its own, so that the settings hold for the statements whatever the driver
    // makes of them (a named statement's plan did not see them outside one).
    private static List<Entry> page(Connection connection, StreamPosition at, Selection selection, int limit) throws SQLException {
        connection.setAutoCommit(false);
        try {
            List<Entry> entries = entries(connection, AFTER, statement -> bindAfter(statement, at, selection, limit), limit);
            String[] late = lateTransactions(at.doneSnapshot(), at.windowSnapshot());
            if (late.length > 0) {
                List<Entry> lateEntries = entries(connection, LATE, statement -> bindLate(statement, late, at, selection, limit), limit);
                entries = merged(entries, lateEntries, limit);
            }
            connection.commit();
            return entries;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static List<Entry> entries(Connection connection, String sql, Binder binder, int limit) throws SQLException {
        try (PreparedStatement page = connection.prepareStatement(SETTINGS + sql)) {
            binder.bind(page);
            page.execute();
            page.getMoreResults(); // past the settings' row
            List<Entry> entries = new ArrayList<>(limit);
            try (ResultSet rows = page.getResultSet()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getLong(1), rows.getObject(2, UUID.class), rows.getString(3),
                            rows.getObject(4, UUID.class), rows.getString(5), rows.getObject(6, OffsetDateTime.class).toInstant(),
                            rows.getObject(7, OffsetDateTime.class).toInstant(), rows.getString(8), rows.getInt(9),
                            rows.getString(10), rows.getString(11)));
                }
            }
            return entries;
        }
    }

    private static List<Entry> merged(List<Entry> one, List<Entry> other, int limit) {
        List<Entry> merged = new ArrayList<>(one);
        merged.addAll(other);
        merged.sort(Comparator.comparingLong(Entry::position));
        return merged.size() > limit ? merged.subList(0, limit) : merged;
    }

    /**
     * The transactions in progress at the done snapshot that the window's snapshot sees as
     * finished. A snapshot reads {@code xmin:xmax:xip,...}; a transaction id is visible in it when
     * it is below xmin, or below xmax and not in progress.
     */
    static String[] lateTransactions(String done, String window) {
        String[] inProgress = done.split(":", -1);
        if (inProgress.length < 3 || inProgress[2].isEmpty()) {
            return new String[0];
        }
        String[] parts = window.split(":", -1);
        long xmin = Long.parseLong(parts[0]);
        long xmax = Long.parseLong(parts[1]);
        Set<String> stillOpen = parts[2].isEmpty() ? Set.of() : Set.of(parts[2].split(","));
        return Arrays.stream(inProgress[2].split(",")).filter(xid -> {
            long id = Long.parseLong(xid);
            return id < xmin || (id < xmax && !stillOpen.contains(xid));
        }).toArray(String[]::new);
    }

    /** Binds {@link #AFTER}'s parameters, or those of a statement that ends with it. */
    static void bindAfter(PreparedStatement page, StreamPosition at, Selection selection, int limit) throws SQLException {
        int i = 1;
        page.setBoolean(i++, selection.telemetry());
        page.setLong(i++, Math.max(at.after(), at.doneLow()));
        page.setLong(i++, at.windowHigh());
        page.setString(i++, at.doneSnapshot());
        page.setString(i++, at.windowSnapshot());
        i = bindTakes(page, i, selection);
        page.setInt(i, limit);
    }

    private static void bindLate(PreparedStatement page, String[] late, StreamPosition at, Selection selection, int limit)
            throws SQLException {
        int i = 1;
        page.setBoolean(i++, selection.telemetry());
        page.setArray(i++, page.getConnection().createArrayOf("text", late));
        page.setLong(i++, at.after());
        i = bindTakes(page, i, selection);
        page.setInt(i, limit);
    }

    private static int bindTakes(PreparedStatement page, int first, Selection selection) throws SQLException {
        int i = first;
        page.setArray(i++, page.getConnection().createArrayOf("text", selection.types()));
        page.setBoolean(i++, selection.allTenants());
        page.setObject(i++, selection.tenantId());
        page.setBoolean(i++, selection.telemetry());
        return i;
    }
}
