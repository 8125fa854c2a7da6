package io.tidings.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
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
 * one statement each, and deleted in one: no table may be read once per row (PostgreSQL counts the
 * rows each transaction read in pg_stat_xact_user_tables), and the routes follow.
 */
class RouteUpkeepPlansTest {

    private static final int WEBHOOKS = 2_000;
    // Rows read per webhook added or deleted, in all: a few by key, and small tables read whole once
    // per statement. A table read once per row is thousands per webhook.
    private static final long READS_PER_WEBHOOK = 20;

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
            // a few webhooks added and one deleted, one at a time, while the tables are small: the plans are made now
            for (int i = 0; i < 3; i++) {
                addWebhooks(statement, 1, "https://early.example/" + i);
            }
            statement.execute("DELETE FROM subscribers WHERE target ->> 'url' = 'https://early.example/0'");
            statement.execute("ANALYZE subscribers, subscriptions, subscriber_routes, event_types");
            addWebhooks(statement, 1, "https://early.example/last");
            statement.execute("DELETE FROM subscribers WHERE target ->> 'url' = 'https://early.example/1'");

            Map<String, Long> added = rowsRead(connection, statement, () -> addWebhooks(statement, WEBHOOKS, "https://bulk.example/"));
            assertThat(count(statement, "SELECT count(*) FROM subscriber_routes r JOIN subscribers s ON s.id = r.subscriber_id "
                    + "WHERE s.target ->> 'url' = 'https://bulk.example/'")).as("a route per webhook and type").isEqualTo(2L * WEBHOOKS);
            Map<String, Long> deleted = rowsRead(connection, statement,
                    () -> statement.execute("DELETE FROM subscribers WHERE target ->> 'url' = 'https://bulk.example/'"));
            assertThat(count(statement, "SELECT count(*) FROM subscriber_routes")).as("the two early webhooks' routes").isEqualTo(4);
            assertThat(count(statement, "SELECT count(*) FROM subscriptions")).isEqualTo(2);

            for (Map<String, Long> read : List.of(added, deleted)) {
                read.forEach((table, rows) -> assertThat(rows).as("rows of %s read (added: %s, deleted: %s)", table, added, deleted)
                        .isLessThanOrEqualTo(READS_PER_WEBHOOK * WEBHOOKS));
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /** The rows of each routing table that {@code work} read, in a transaction of its own. */
    private static Map<String, Long> rowsRead(Connection connection, Statement statement, Work work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            Map<String, Long> before = rowsRead(statement);
            work.run();
            Map<String, Long> after = rowsRead(statement);
            connection.commit();
            Map<String, Long> read = new HashMap<>();
            after.forEach((table, rows) -> read.put(table, rows - before.getOrDefault(table, 0L)));
            return read;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static Map<String, Long> rowsRead(Statement statement) throws SQLException {
        Map<String, Long> read = new HashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
                + "FROM pg_stat_xact_user_tables WHERE relname IN ('subscribers', 'subscriptions', 'subscriber_routes', 'event_types')")) {
            while (rows.next()) {
                read.put(rows.getString(1), rows.getLong(2));
            }
        }
        return read;
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
}
