package io.tidings.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.tidings.ops.internal.TidingsSchema;
import io.tidings.support.MachinePostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Keeping the routes of many new webhooks must cost the same on a connection that has been running
 * since the tables were nearly empty. A plan made then, and kept (a generic plan, or a foreign-key
 * check's), scanned the whole of a table once per row written: on PostgreSQL 15, 100,000 webhooks'
 * subscriptions in one statement took over 13 minutes. Here plans are forced generic, made while
 * the tables hold a few rows, and then thousands of webhooks and their subscriptions are added in
 * one statement each: no table may be scanned once per row (PostgreSQL counts the scans of the
 * transaction in pg_stat_xact_user_tables), and every webhook gets its route.
 */
class RouteUpkeepPlansTest {

    private static final int WEBHOOKS = 2_000;
    // The routing statements may scan a small table once or twice each; a scan per row is thousands.
    private static final long SCANS_PER_STATEMENT = 4;

    @Test
    void on_the_embedded_postgresql() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                Connection connection = server.getPostgresDatabase().getConnection()) {
            migrate(server.getJdbcUrl("postgres", "postgres"));
            bulkRoutingScansNoTablePerRow(connection);
        }
    }

    /** What the foreign keys did, the statement triggers of migration V19 still do. */
    @Test
    void a_subscription_needs_its_subscriber_and_deleting_one_takes_its_subscriptions_and_routes() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            migrate(server.getJdbcUrl("postgres", "postgres"));
            statement.execute("INSERT INTO event_types (name, description) VALUES ('project:created', 'created'), "
                    + "('project:updated', 'updated')");
            addWebhooks(statement, 2, "https://kept.example/");
            addWebhooks(statement, 3, "https://gone.example/");
            assertThat(count(statement, "SELECT count(*) FROM subscriber_routes")).isEqualTo(10);

            assertThatThrownBy(() -> statement.execute("INSERT INTO subscriptions (subscriber_id, pattern) "
                    + "VALUES ('01900000-0000-7000-8000-0000000000ff', '*')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            assertThatThrownBy(() -> statement.execute("UPDATE subscriptions SET subscriber_id = '01900000-0000-7000-8000-0000000000ff' "
                    + "WHERE subscriber_id = (SELECT id FROM subscribers WHERE target ->> 'url' = 'https://kept.example/' LIMIT 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));

            statement.execute("DELETE FROM subscribers WHERE target ->> 'url' = 'https://gone.example/'");
            assertThat(count(statement, "SELECT count(*) FROM subscriptions")).isEqualTo(2);
            assertThat(count(statement, "SELECT count(*) FROM subscriber_routes")).isEqualTo(4);

            statement.execute("DELETE FROM event_types WHERE name = 'project:updated'");
            assertThat(count(statement, "SELECT count(*) FROM subscriber_routes")).isEqualTo(2);
        }
    }

    @Test
    void on_the_machines_postgresql() throws Exception {
        String databaseUrl = MachinePostgres.freshDatabase("tidings_route_plans");
        migrate(databaseUrl);
        try (Connection connection = DriverManager.getConnection(databaseUrl)) {
            bulkRoutingScansNoTablePerRow(connection);
        }
    }

    private static void migrate(String url) {
        Flyway.configure().dataSource(url, null, null).table(TidingsSchema.HISTORY).locations(TidingsSchema.LOCATION).load().migrate();
    }

    private static void bulkRoutingScansNoTablePerRow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("INSERT INTO event_types (name, description) VALUES ('project:created', 'created'), "
                    + "('project:updated', 'updated')");
            // a few webhooks, one at a time, while the tables are small: the plans are made now
            for (int i = 0; i < 3; i++) {
                addWebhooks(statement, 1, "https://early.example/" + i);
            }
            statement.execute("ANALYZE subscribers, subscriptions, subscriber_routes, event_types");
            addWebhooks(statement, 1, "https://early.example/last");

            connection.setAutoCommit(false);
            Map<String, Long> before = scans(statement);
            addWebhooks(statement, WEBHOOKS, "https://bulk.example/");
            Map<String, Long> after = scans(statement);
            connection.commit();
            connection.setAutoCommit(true);

            for (String table : before.keySet()) {
                assertThat(after.get(table) - before.get(table)).as("sequential scans of %s", table)
                        .isLessThanOrEqualTo(2 * SCANS_PER_STATEMENT);
            }
            try (ResultSet routes = statement.executeQuery("SELECT count(*) FROM subscriber_routes r JOIN subscribers s "
                    + "ON s.id = r.subscriber_id WHERE s.target ->> 'url' = 'https://bulk.example/'")) {
                routes.next();
                assertThat(routes.getLong(1)).as("a route per webhook and type").isEqualTo(2L * WEBHOOKS);
            }
        }
    }

    /** {@code count} webhooks in one statement, then their subscriptions in another. */
    private static void addWebhooks(Statement statement, int count, String url) throws SQLException {
        statement.execute("INSERT INTO subscribers (id, kind, target, secret) SELECT tidings_uuid_v7(), 'webhook', "
                + "jsonb_build_object('url', '" + url + "'), 'whsec_x' FROM generate_series(1, " + count + ")");
        statement.execute("INSERT INTO subscriptions (subscriber_id, pattern) SELECT id, 'project:*' FROM subscribers "
                + "WHERE target ->> 'url' = '" + url + "'");
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Map<String, Long> scans(Statement statement) throws SQLException {
        Map<String, Long> scans = new HashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT relname, seq_scan FROM pg_stat_xact_user_tables "
                + "WHERE relname IN ('subscribers', 'subscriptions', 'subscriber_routes', 'event_types')")) {
            while (rows.next()) {
                scans.put(rows.getString(1), rows.getLong(2));
            }
        }
        return scans;
    }
}
