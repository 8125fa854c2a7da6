package io.tidings.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.tidings.ops.internal.TidingsSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The log as a stream reads it, on a server where nothing else runs, so that no other transaction hides a gap. */
class StreamLogTest {

    private static final StreamLog.Selection ALL = new StreamLog.Selection(new String[] {"project:created"}, true, null, false);

    /**
     * A snapshot's xmax is the latest finished transaction id plus one: a writer that took the
     * newest id and is still open is neither in the snapshot's in-progress list nor past it by its
     * id. A window opened then must not count the writer's events as passed when it commits.
     */
    @Test
    void an_open_writer_with_the_newest_transaction_id_is_read_once_it_commits() throws Exception {
        try (EmbeddedPostgres server = migratedServer();
                Connection reader = server.getPostgresDatabase().getConnection();
                Connection writer = server.getPostgresDatabase().getConnection()) {
            StreamLog log = new StreamLog();
            StreamPosition start = log.open(reader, new StreamPosition("3:3:", 0, Instant.now(), null, 0, 0, null, 0), Instant.now())
                    .finished();

            writer.setAutoCommit(false);
            UUID late = UUID.randomUUID();
            try (Statement statement = writer.createStatement()) {
                statement.execute("INSERT INTO events (id, kind, type, occurred_at, notification) VALUES ('" + late
                        + "', 'project', 'project:created', now(), '{}')");
            }
            assertThat(newestIdIsOpen(reader, writer)).as("the writer holds the newest transaction id").isTrue();
            StreamLog.Page whileOpen = log.read(reader, start, ALL, 100, Instant.now());
            assertThat(whileOpen.entries()).isEmpty();
            writer.commit();

            StreamLog.Page afterCommit = log.read(reader, whileOpen.next(), ALL, 100, Instant.now());
            assertThat(afterCommit.entries()).extracting(StreamLog.Entry::eventId).containsExactly(late);
        }
    }

    /**
     * A window reads the transactions past the done snapshot's xmax from a position read before
     * that snapshot's tick took its transaction id: every event of such a transaction must take its
     * position after its transaction took its id. Here the writer's position waits on the sequence,
     * held by another session, and the writer must hold its transaction id meanwhile.
     */
    @Test
    void an_event_takes_its_position_after_its_transaction_took_its_id() throws Exception {
        try (EmbeddedPostgres server = migratedServer();
                Connection holder = server.getPostgresDatabase().getConnection();
                Connection writer = server.getPostgresDatabase().getConnection()) {
            try (Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.execute("ALTER SEQUENCE tidings_event_position CACHE 1"); // holds nextval off until the commit
            }
            int writerPid;
            try (Statement statement = writer.createStatement(); ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                pid.next();
                writerPid = pid.getInt(1);
            }
            CompletableFuture<Void> insert = CompletableFuture.runAsync(() -> {
                try (Statement statement = writer.createStatement()) {
                    statement.execute("INSERT INTO events (id, kind, type, occurred_at, notification) VALUES ('"
                            + UUID.randomUUID() + "', 'project', 'project:created', now(), '{}')");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection observer = server.getPostgresDatabase().getConnection();
                    PreparedStatement waiting = observer.prepareStatement(
                            "SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'")) {
                waiting.setInt(1, writerPid);
                Boolean holdsId = null;
                for (int i = 0; i < 500 && holdsId == null; i++) {
                    try (ResultSet row = waiting.executeQuery()) {
                        holdsId = row.next() ? row.getBoolean(1) : null;
                    }
                    Thread.sleep(10);
                }
                assertThat(holdsId).as("the writer waits for its position holding its transaction id").isTrue();
            } finally {
                holder.commit();
            }
            insert.get(10, TimeUnit.SECONDS);
        }
    }

    /** An embedded PostgreSQL with Tidings' tables and the type the tests record. */
    private static EmbeddedPostgres migratedServer() throws Exception {
        EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(server.getJdbcUrl("postgres", "postgres"), null, null).table(TidingsSchema.HISTORY)
                .locations(TidingsSchema.LOCATION).load().migrate();
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO event_types (name, description) VALUES ('project:created', 'created')");
        }
        return server;
    }

    private static boolean newestIdIsOpen(Connection reader, Connection writer) throws Exception {
        try (Statement mine = writer.createStatement(); ResultSet xid = mine.executeQuery("SELECT pg_current_xact_id()::text");
                Statement other = reader.createStatement();
                ResultSet snapshot = other.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
            xid.next();
            snapshot.next();
            return Long.parseLong(xid.getString(1)) >= Long.parseLong(snapshot.getString(1));
        }
    }
}
