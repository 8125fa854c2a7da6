package io.tidings.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.StartupEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Tidings' migrations keep a history of their own beside the application's, whether the database
 * is new or was migrated when both shared Flyway's default history.
 */
class TidingsSchemaTest {

    private static final String APPLICATION = "classpath:db/host"; // a host application's migrations, in the test resources

    @Test
    void a_new_database_gets_two_histories_tidings_first() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            DataSource database = server.getPostgresDatabase();
            applicationFlyway(database).migrate(); // Tidings' run just before, from the callback Quarkus' Flyway gets

            assertThat(scripts(database, TidingsSchema.HISTORY)).contains("V1__outbox.sql", "V14__subscriber_targets.sql", "R__routing.sql")
                    .doesNotContain("V2__host_columns.sql");
            assertThat(scripts(database, "flyway_schema_history")).containsExactly("V2__host_columns.sql", "V4__host_orders.sql");
            assertThat(TidingsSchema.pending(database)).isZero();
        }
    }

    @Test
    void a_database_from_the_shared_history_is_taken_over_without_running_anything_twice() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            DataSource database = server.getPostgresDatabase();
            Flyway.configure().dataSource(database).locations(TidingsSchema.LOCATION, APPLICATION).load().migrate();
            int migrations = scripts(database, "flyway_schema_history").size();

            applicationFlyway(database).migrate();

            assertThat(scripts(database, TidingsSchema.HISTORY)).hasSize(migrations - 2).contains("V1__outbox.sql");
            assertThat(TidingsSchema.pending(database)).isZero();
            assertThat(applicationFlyway(database).info().pending()).isEmpty();
        }
    }

    @Test
    void a_host_that_runs_no_flyway_at_start_gets_tidings_tables_when_tidings_starts() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            DataSource database = server.getPostgresDatabase();
            TidingsSchema schema = new TidingsSchema(database);
            assertThat(schema.pending()).isPositive();

            schema.onStart(new StartupEvent()); // no quarkus.flyway.migrate-at-start: the callback never ran

            assertThat(scripts(database, TidingsSchema.HISTORY)).contains("V1__outbox.sql", "V16__console.sql");
            assertThat(schema.pending()).isZero();
            assertThat(TidingsSchema.pending(database)).isZero();
        }
    }

    // What Quarkus builds from quarkus.flyway.* for a host application, with Tidings' customizer applied.
    private static Flyway applicationFlyway(DataSource database) {
        var configuration = Flyway.configure().dataSource(database).locations(APPLICATION).ignoreMigrationPatterns("*:missing", "*:future");
        new TidingsSchema(database).customize(configuration);
        return configuration.load();
    }

    private static List<String> scripts(DataSource database, String history) throws SQLException {
        List<String> scripts = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT script FROM " + history + " WHERE success ORDER BY installed_rank")) {
            while (rows.next()) {
                scripts.add(rows.getString(1));
            }
        }
        return scripts;
    }
}
