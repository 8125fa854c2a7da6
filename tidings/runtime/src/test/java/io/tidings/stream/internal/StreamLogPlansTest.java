package io.tidings.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.ops.internal.TidingsSchema;
import io.tidings.support.MachinePostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A stream's read costs the page it reads, not the backlog behind it: whatever plans the session
 * would make (here generic ones, as a pooled connection ends up with), the buffers one page of a
 * window reads do not grow when the window holds ten times the events, when one transaction wrote
 * them all, nor when a transaction left open has written events the read must look past. On the embedded PostgreSQL and, when {@code -Dtidings.it.pg-url} names one (CI
 * sets it), on a packaged server with JIT on; no plan may be JIT-compiled.
 */
class StreamLogPlansTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamLog.Selection ALL = new StreamLog.Selection(new String[] {"project:created"}, true, null, false);
    private static final int PAGE = 500;
    // Buffers a taller index costs: a level more for each of a few probes.
    private static final long SLACK = 8;

    @Test
    void on_the_embedded_postgresql() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                Connection connection = server.getPostgresDatabase().getConnection()) {
            migrate(server.getJdbcUrl("postgres", "postgres"));
            aPageCostsAPage(connection, server.getJdbcUrl("postgres", "postgres"));
        }
    }

    @Test
    void on_the_machines_postgresql() throws Exception {
        String databaseUrl = MachinePostgres.freshDatabase("tidings_stream_plans");
        migrate(databaseUrl);
        try (Connection connection = DriverManager.getConnection(databaseUrl)) {
            aPageCostsAPage(connection, databaseUrl);
        }
    }

    private static void migrate(String url) {
        Flyway.configure().dataSource(url, null, null).table(TidingsSchema.HISTORY).locations(TidingsSchema.LOCATION).load().migrate();
    }

    private static void aPageCostsAPage(Connection connection, String url) throws Exception {
        StreamLog log = new StreamLog();
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO event_types (name, description) VALUES ('project:created', 'created') ON CONFLICT DO NOTHING");
            statement.execute("SET plan_cache_mode = force_generic_plan");
        }
        StreamPosition start = log.open(connection, new StreamPosition("3:3:", 0, Instant.now(), null, 0, 0, null, 0), Instant.now())
                .finished();
        // Large transactions, as a bulk job writes them: many events per transaction id is what made
        // a generic plan of the open transactions' part prefer walking the positions.
        record(connection, 4, 5_000);
        long small = middlePageBuffers(log, connection, start, 10_000);
        record(connection, 36, 5_000);
        long large = middlePageBuffers(log, connection, start, 100_000);
        assertThat(large).as("a page's buffers in a window of 20,000 events: %d", small).isLessThanOrEqualTo(small + SLACK);

        StreamPosition beforeBulk = log.open(connection, start, Instant.now()).finished();
        record(connection, 1, 20_000); // one transaction wrote most of what the window holds
        long bulk = middlePageBuffers(log, connection, beforeBulk, 10_000);
        assertThat(bulk).as("in one transaction's 20,000 events; in many: %d", small).isLessThanOrEqualTo(small + SLACK);

        try (Connection open = DriverManager.getConnection(url)) {
            open.setAutoCommit(false);
            try (Statement held = open.createStatement()) {
                held.execute(insert(20_000)); // written, never committed: the reads look past it
                StreamPosition pastOpen = log.open(connection, start, Instant.now()).finished();
                record(connection, 4, 5_000);
                long behindOpen = middlePageBuffers(log, connection, pastOpen, 10_000);
                assertThat(behindOpen).as("with 20,000 events of an open transaction in the log; alone: %d", small)
                        .isLessThanOrEqualTo(small + SLACK);
            } finally {
                open.rollback();
            }
        }
    }

    /** Buffers read by the page that starts {@code into} events into the window opened now after {@code done}. */
    private static long middlePageBuffers(StreamLog log, Connection connection, StreamPosition done, int into) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE events");
        }
        StreamPosition window = log.open(connection, done, Instant.now());
        long after;
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT position FROM events WHERE pg_visible_in_snapshot(txid, '"
                        + window.windowSnapshot() + "') AND NOT pg_visible_in_snapshot(txid, '" + done.doneSnapshot()
                        + "') ORDER BY position OFFSET " + into + " LIMIT 1")) {
            row.next();
            after = row.getLong(1);
        }
        // Every JIT threshold at zero for the page alone: the inserts' foreign-key checks would compile per row.
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET jit_above_cost = 0; SET jit_inline_above_cost = 0; SET jit_optimize_above_cost = 0");
        }
        connection.setAutoCommit(false); // as the reader reads
        try (PreparedStatement explain = connection.prepareStatement(StreamLog.SETTINGS + "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                + StreamLog.AFTER)) {
            explain.unwrap(PGStatement.class).setPrepareThreshold(1); // a named statement, so that its plan is the generic one
            StreamLog.bindAfter(explain, window.sentUpTo(after), ALL, PAGE);
            explain.execute();
            explain.getMoreResults(); // past the settings' row, as the reader sends them
            try (ResultSet result = explain.getResultSet()) {
                result.next();
                JsonNode plan = JSON.readTree(result.getString(1)).get(0);
                assertThat(plan.has("JIT")).as("JIT-compiled: %s", plan).isFalse();
                assertThat(plan.at("/Plan/Actual Rows").asLong()).isEqualTo(PAGE);
                return plan.at("/Plan/Shared Hit Blocks").asLong() + plan.at("/Plan/Shared Read Blocks").asLong();
            }
        } finally {
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET jit_above_cost; RESET jit_inline_above_cost; RESET jit_optimize_above_cost");
            }
        }
    }

    private static void record(Connection connection, int transactions, int each) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < transactions; i++) {
                statement.execute(insert(each));
            }
        }
    }

    private static String insert(int count) {
        return "INSERT INTO events (id, kind, type, occurred_at, notification, ordering_key) SELECT gen_random_uuid(), 'project', "
                + "'project:created', now(), '{\"project\":{\"name\":\"' || repeat('n', 200) || '\"}}', 'key-' || (n % 100) "
                + "FROM generate_series(1, " + count + ") n";
    }
}
