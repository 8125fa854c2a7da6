package io.tidings.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL of the integration test's own, which the services under test share. It keeps its
 * port and data across {@link #stop()} and {@link #restart()}, as a real server restart does.
 */
public final class ItDatabase implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;
    private Sql sql;

    private ItDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        restart();
    }

    public static ItDatabase start() {
        try {
            return new ItDatabase(Files.createTempDirectory("tidings-it-pg"), FreePorts.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public Sql sql() {
        return sql;
    }

    /** Stops the server, as a crash or a restart of the database would: every connection is cut. */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port with the same data. */
    public void restart() {
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                    .setPort(port).setServerConfig("max_connections", "200").start();
            sql = new Sql(server.getPostgresDatabase());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inserts {@code count} project events with one pending delivery each to {@code subscriber}, and notifies. */
    public void outbox(int count, UUID subscriber) {
        sql.update("""
                INSERT INTO events (id, kind, type, occurred_at, project_id, project_name)
                SELECT tidings_uuid_v7(), 'project', 'project:created', now(), gen_random_uuid(), 'P' || g
                  FROM generate_series(1, ?) g
                """, count);
        sql.update("""
                INSERT INTO deliveries (event_id, subscriber_id, payload)
                SELECT e.id, ?, jsonb_build_object('project', jsonb_build_object('id', e.project_id))
                  FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
                """, subscriber);
        sql.rows("SELECT pg_notify('tidings_outbox', '')");
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
