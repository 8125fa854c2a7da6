package io.tidings.it.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.it.TestDatabase;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.stream.internal.StreamCursors;
import io.tidings.it.support.WebhookReceiver;

/**
 * What the stream phases share: events written by SQL as {@code Outbox} freezes them, stream sinks
 * made as {@code POST /api/sinks} makes them (a subscriber with {@code stream = true}, a subscription
 * to '*', a cursor), and the records a plain producer sends in their place.
 */
final class StreamSinks {

    private static final String BENCH = "/* bench */ ";
    private static final ObjectMapper JSON = new ObjectMapper();

    // One project:updated event per row, with the payloads and ordering key Outbox freezes: the
    // notification is 315 to 594 bytes, the ordering key one of `keys` project ids. position and txid
    // come from the columns' defaults, as for any recorded event.
    static final String EVENTS = """
            INSERT INTO events (id, kind, type, occurred_at, project_id, project_name, project_description,
                                notification, telemetry, ordering_key)
            SELECT tidings_uuid_v7(), 'project', 'project:updated', clock_timestamp(), p.id, p.name, p.description,
                   '{"project":{"id":"' || p.id || '","name":"' || p.name || '","description":"' || p.description || '"}}',
                   '{"project":{"id":"' || encode(sha256(p.id::text::bytea), 'hex') || '"}}',
                   p.id::text
              FROM (SELECT md5('bench-key-' || (n % ?))::uuid AS id, 'Project ' || (n % ?) AS name,
                           left(repeat('Release ' || n || ' takes the new build pipeline to every region, with its runbooks '
                                       || 'and dashboards. ', 8), (220 + (n::bigint * 7919) % 280)::int) AS description
                      FROM generate_series(1, ?) n) p
            """;

    private final TestDatabase db;
    private final DataSource dataSource;

    StreamSinks(TestDatabase db, DataSource dataSource) {
        this.db = db;
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Writes {@code count} events over {@code keys} keys in one statement, then analyzes and checkpoints. */
    void prefill(int count, int keys) {
        db.update(BENCH + EVENTS, keys, keys, count);
        db.update(BENCH + "ANALYZE events");
        db.update(BENCH + "CHECKPOINT"); // writing the backlog must not be paid for by the drain that follows
    }

    /** A kafka stream's target, as the API saves it for a sink of notifications. */
    static Map<String, Object> kafka(String bootstrapServers, String topic) {
        return Map.of("bootstrap_servers", bootstrapServers, "topic", topic, "record", "message");
    }

    /** A file stream's target: one file, never rotated within a run (so no compression in the figure). */
    static Map<String, Object> file(java.nio.file.Path directory) {
        return Map.of("directory", directory.toAbsolutePath().toString(), "max_bytes", 64L << 30, "record", "message");
    }

    /** A position, then a transaction id taken and committed, as a stream's reader ticks before it opens a window. */
    private static long tick(Connection connection) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(BENCH + "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM tidings_event_position;"
                    + "SELECT pg_current_xact_id()");
            try (java.sql.ResultSet low = statement.getResultSet()) {
                low.next();
                return low.getLong(1);
            }
        }
    }

    /**
     * A stream sink of {@code kind} subscribed to '*', with its cursor at the beginning of the log or
     * at now, committed in one transaction. @return its id
     */
    UUID create(String kind, Map<String, Object> target, boolean fromBeginning) {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            long low = tick(connection);
            connection.setAutoCommit(false);
            try (PreparedStatement subscriber = connection.prepareStatement(BENCH + "INSERT INTO subscribers "
                    + "(id, kind, all_tenants, stream, target) VALUES (?, ?, true, true, ?::jsonb)");
                    PreparedStatement subscription = connection.prepareStatement(BENCH
                            + "INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, '*')");
                    PreparedStatement cursor = connection.prepareStatement(BENCH + (fromBeginning
                            ? "INSERT INTO stream_cursors (subscriber_id, done_snapshot, done_low, done_at) VALUES (?, '3:3:', 0, now())"
                            : "INSERT INTO stream_cursors (subscriber_id, done_snapshot, done_low, done_at) "
                                    + "SELECT ?, w.snapshot, ?, now() FROM tidings_stream_snapshot() w"));
                    PreparedStatement announce = connection.prepareStatement(BENCH + "SELECT pg_notify('" + WorkerWakeUp.CHANNEL
                            + "', '" + StreamCursors.CHANGED + "')")) {
                subscriber.setObject(1, id);
                subscriber.setString(2, kind);
                subscriber.setString(3, JSON.writeValueAsString(target));
                subscriber.executeUpdate();
                subscription.setObject(1, id);
                subscription.executeUpdate();
                cursor.setObject(1, id);
                if (!fromBeginning) {
                    cursor.setLong(2, low);
                }
                cursor.executeUpdate();
                announce.execute(); // as the API does: the child's readers start at the commit
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** Waits until a reader in the child holds each stream's lease. */
    void awaitReaders(List<UUID> streams) {
        WebhookReceiver.await(() -> db.count(BENCH + "SELECT count(*) FROM stream_cursors WHERE subscriber_id = ANY (?::uuid[]) "
                + "AND lease_owner IS NOT NULL", (Object) streams.toArray(UUID[]::new)) == streams.size(),
                Duration.ofSeconds(30), () -> "no reader took " + streams);
    }

    /**
     * Waits until every one of the streams has sent at least {@code records}, or none has moved for
     * {@link StreamBench#QUIET}. @return how many records short of {@code records} they are, in all
     */
    long settle(List<UUID> streams, long records) {
        String sent = BENCH + "SELECT coalesce(sum(least(sent, ?)), 0) FROM stream_cursors WHERE subscriber_id = ANY (?::uuid[])";
        Object ids = streams.toArray(UUID[]::new);
        long wanted = records * streams.size();
        long seen = -1;
        long changed = System.nanoTime();
        while (true) {
            long now = db.count(sent, records, ids);
            if (now >= wanted) {
                return 0;
            }
            if (now != seen) {
                seen = now;
                changed = System.nanoTime();
            } else if (System.nanoTime() - changed > StreamBench.QUIET.toNanos()) {
                System.out.printf("streams %s: %d of %d records never sent; %s%n", streams, wanted - now, wanted,
                        db.rows(BENCH + "SELECT sent, failures, last_error FROM stream_cursors WHERE subscriber_id = ANY (?::uuid[])", ids));
                return wanted - now;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Forgets what pg_stat_statements gathered so far, where the server loads it. */
    void resetStatements() {
        try {
            db.rows(BENCH + "SELECT pg_stat_statements_reset()");
        } catch (RuntimeException notLoaded) {
            // then statements() says so
        }
    }

    /**
     * The statements that took most of the database's time since {@link #resetStatements()}, but the
     * benchmark's own: calls, mean and total execution time, and their first words.
     */
    String statements(int count) {
        try {
            return db.rows(BENCH + """
                    SELECT calls, round(mean_exec_time::numeric, 2) AS mean, round(total_exec_time::numeric) AS total,
                           left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query
                      FROM pg_stat_statements WHERE query NOT LIKE '/* bench */%' ORDER BY total_exec_time DESC LIMIT ?""", count)
                    .stream().map(row -> row.get("calls") + " x " + row.get("mean") + " ms = " + row.get("total") + " ms: "
                            + row.get("query"))
                    .collect(java.util.stream.Collectors.joining("; "));
        } catch (RuntimeException notLoaded) {
            return "n/a (pg_stat_statements is not loaded)";
        }
    }

    /** Deletes the streams and waits past the child's next look, at which their readers stop. */
    void delete(List<UUID> streams) throws InterruptedException {
        db.update(BENCH + "DELETE FROM subscribers WHERE id = ANY (?::uuid[])", (Object) streams.toArray(UUID[]::new));
        Thread.sleep(2_000);
    }

    /**
     * The records a kafka stream sends for the events held now, in position order, as a plain
     * producer would send them to {@code topic}: the same key, value bytes and headers.
     */
    List<ProducerRecord<byte[], byte[]>> plainRecords(String topic) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // a cursor, not the whole result at once
            try (PreparedStatement select = connection.prepareStatement(BENCH + """
                    SELECT e.id, e.type, e.occurred_at, e.notification, e.ordering_key, e.tenant_id, t.schema_version
                      FROM events e JOIN event_types t ON t.name = e.type WHERE e.position IS NOT NULL ORDER BY e.position""")) {
                select.setFetchSize(10_000);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getObject(1, UUID.class).toString();
                        String type = rows.getString(2);
                        // as SinkRecords writes a notification record
                        String value = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\""
                                + rows.getObject(3, OffsetDateTime.class).toInstant() + "\",\"data\":" + rows.getString(4) + "}";
                        RecordHeaders headers = new RecordHeaders();
                        headers.add("tidings-event-id", bytes(id));
                        headers.add("tidings-event-type", bytes(type));
                        if (rows.getObject(6) != null) {
                            headers.add("tidings-tenant", bytes(rows.getObject(6).toString()));
                        }
                        headers.add("tidings-schema-version", bytes(String.valueOf(rows.getInt(7))));
                        headers.add("content-type", bytes("application/json"));
                        String key = rows.getString(5);
                        records.add(new ProducerRecord<>(topic, null, key == null ? null : bytes(key), bytes(value), headers));
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return records;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
