package io.tidings.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The benchmark's database: {@code -Dtidings.bench.jdbc-url} when given, otherwise an embedded
 * PostgreSQL with production durability (fsync, synchronous_commit and full_page_writes on),
 * unlike the tests' embedded server.
 */
public class DurablePostgres implements QuarkusTestResourceLifecycleManager {

    static volatile String jdbcUrl;
    private EmbeddedPostgres server;

    @Override
    public Map<String, String> start() {
        String given = System.getProperty("tidings.bench.jdbc-url");
        if (given != null) {
            jdbcUrl = given;
            return Map.of("quarkus.datasource.jdbc.url", given,
                    "quarkus.datasource.username", System.getProperty("tidings.bench.username", "postgres"));
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("autovacuum", "on") // as production servers run; the lag tail changes with it
                    // for the database time per delivery
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track_planning", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jdbcUrl = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
        return Map.of("quarkus.datasource.jdbc.url", jdbcUrl, "quarkus.datasource.username", "postgres");
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
