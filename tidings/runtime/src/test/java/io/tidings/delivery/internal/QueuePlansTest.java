package io.tidings.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.ops.internal.TidingsSchema;
import io.tidings.support.MachinePostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The hot path's plans, on the embedded PostgreSQL and, when {@code -Dtidings.it.pg-url} names one
 * (CI sets it), on a packaged server with JIT on. For one tenant's webhook, the buffers one fan-out
 * and one claim read must not grow when 5,000 idle webhooks of 500 other tenants join the
 * installation; the plans are made before they join, on the same connection, as in a service that
 * has been running. No plan may be JIT-compiled, even with every JIT threshold at zero, nor carry
 * PostgreSQL's disable cost (a planner switch such as enable_seqscan = off).
 */
class QueuePlansTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID TENANT = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID WEBHOOK = UUID.fromString("01900000-0000-7000-8000-00000000000b");
    // Buffers a taller index costs: a level more for each of a handful of key probes.
    private static final long SLACK = 8;
    private static final double DISABLE_COST = 1.0e10;

    @Test
    void on_the_embedded_postgresql() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start();
                Connection connection = server.getPostgresDatabase().getConnection()) {
            migrate(server.getJdbcUrl("postgres", "postgres"));
            costsDoNotGrowWithIdleSubscribers(connection);
        }
    }

    @Test
    void on_the_machines_postgresql() throws Exception {
        String databaseUrl = MachinePostgres.freshDatabase("tidings_queue_plans");
        migrate(databaseUrl);
        try (Connection connection = DriverManager.getConnection(databaseUrl)) {
            costsDoNotGrowWithIdleSubscribers(connection);
        }
    }

    private static void migrate(String url) {
        Flyway.configure().dataSource(url, null, null).table(TidingsSchema.HISTORY).locations(TidingsSchema.LOCATION).load().migrate();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/host").baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
    }

    private static void costsDoNotGrowWithIdleSubscribers(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO event_types (name, description) VALUES ('project:created', 'A project was created')");
            statement.execute("INSERT INTO tenants (id, name) VALUES ('" + TENANT + "', 'busy')");
            statement.execute("INSERT INTO subscribers (id, kind, target, tenant_id, secret) VALUES ('" + WEBHOOK
                    + "', 'webhook', '{\"url\": \"https://busy.example/\"}', '" + TENANT + "', 'whsec_x')");
            statement.execute("INSERT INTO subscriptions VALUES ('" + WEBHOOK + "', 'project:*')");
        }
        for (int i = 0; i < 20; i++) {
            recordOneEvent(connection, true);
        }
        fanOutRunsWithoutJit(connection);
        routingNeverSearchesAnArrayPerRow(connection);
        Cost alone = new Cost(fanOutBuffers(connection), claimBuffers(connection));
        addIdleWebhooks(connection, 500, 10);
        Cost crowded = new Cost(fanOutBuffers(connection), claimBuffers(connection));

        assertThat(crowded.fanOut()).as("fan-out buffers alone: %d", alone.fanOut()).isLessThanOrEqualTo(alone.fanOut() + SLACK);
        assertThat(crowded.claim()).as("claim buffers alone: %d", alone.claim()).isLessThanOrEqualTo(alone.claim() + SLACK);
    }

    private record Cost(long fanOut, long claim) {
    }

    private static long fanOutBuffers(Connection connection) throws SQLException {
        vacuum(connection);
        connection.setAutoCommit(false);
        try {
            UUID event = recordOneEvent(connection, false);
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                    + "SELECT tidings_fan_out(ARRAY[?]::uuid[], ARRAY['project:created'], ARRAY[?]::uuid[], ARRAY['{}'], "
                    + "ARRAY[NULL], ARRAY[NULL], ARRAY[NULL], now(), ARRAY[NULL])")) {
                explain.setObject(1, event);
                explain.setObject(2, TENANT);
                return buffersOf(checked(explain, false));
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    // Its statement runs inside the function, where EXPLAIN cannot see JIT: the function must turn it off.
    private static void fanOutRunsWithoutJit(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet config = statement.executeQuery("SELECT array_to_string(proconfig, ' ') FROM pg_proc "
                        + "WHERE proname = 'tidings_fan_out'")) {
            config.next();
            assertThat(config.getString(1)).contains("jit=off");
        }
    }

    // Routing the subscribers of a bulk insert once tested each row with "= ANY (ids)": a parameter
    // array is searched element by element, so when a scan was planned, 100,000 new webhooks cost
    // 10^10 comparisons. auto_explain shows the plans the routing functions really run.
    private static void routingNeverSearchesAnArrayPerRow(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOAD 'auto_explain'");
            statement.execute("SET LOCAL auto_explain.log_min_duration = 0; SET LOCAL auto_explain.log_nested_statements = on; "
                    + "SET LOCAL client_min_messages = log");
            statement.execute("INSERT INTO subscribers (id, kind, target, tenant_id, secret) SELECT tidings_uuid_v7(), 'webhook', "
                    + "'{\"url\": \"https://bulk.example/\"}', '" + TENANT + "', 'whsec_x' FROM generate_series(1, 3)");
            statement.execute("INSERT INTO subscriptions (subscriber_id, pattern) SELECT id, 'project:*' FROM subscribers "
                    + "WHERE target ->> 'url' = 'https://bulk.example/'");
            List<String> plans = new ArrayList<>();
            for (SQLWarning notice = statement.getWarnings(); notice != null; notice = notice.getNextWarning()) {
                plans.add(notice.getMessage());
            }
            assertThat(plans).as("auto_explain's plans").anyMatch(plan -> plan.contains("INSERT INTO subscriber_routes"));
            assertThat(plans).noneMatch(plan -> plan.contains("ANY ($"));
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    // The claim exactly as the worker sends it: its settings first, in the same transaction.
    private static long claimBuffers(Connection connection) throws SQLException {
        int split = DeliveryQueue.CLAIM.indexOf(";\n");
        vacuum(connection);
        connection.setAutoCommit(false);
        try (Statement settings = connection.createStatement();
                PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                        + DeliveryQueue.CLAIM.substring(split + 2))) {
            settings.execute(DeliveryQueue.CLAIM.substring(0, split));
            // no followers: webhooks take one delivery of a key at a time
            DeliveryQueue.bindClaim(explain, UUID.randomUUID(), OffsetDateTime.now(), List.of("webhook"), List.of(), 100, 16, 0,
                    Duration.ofMinutes(1));
            JsonNode plan = checked(explain, true);
            assertThat(plan.path("Plan").path("Actual Rows").asLong()).as("claimed").isEqualTo(16);
            return buffersOf(plan);
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    // Each measurement rolls back what it wrote; without a vacuum, the next one would read those dead rows too.
    private static void vacuum(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM deliveries, events");
        }
    }

    private static JsonNode checked(PreparedStatement explain, boolean withEagerJit) throws SQLException {
        try (Statement jit = explain.getConnection().createStatement()) {
            // Make JIT compile anything it may, so that only the statement's own settings keep it away.
            jit.execute(withEagerJit ? "SET LOCAL jit_above_cost = 0; SET LOCAL jit_inline_above_cost = 0; "
                    + "SET LOCAL jit_optimize_above_cost = 0" : "SELECT 1");
        }
        try (ResultSet result = explain.executeQuery()) {
            result.next();
            JsonNode plan = JSON.readTree(result.getString(1)).get(0);
            assertThat(plan.has("JIT")).as("JIT-compiled: %s", plan.path("JIT")).isFalse();
            assertThat(plan.path("Plan").path("Total Cost").asDouble()).as("a disable cost").isLessThan(DISABLE_COST);
            return plan;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static long buffersOf(JsonNode plan) {
        return plan.path("Plan").path("Shared Hit Blocks").asLong() + plan.path("Plan").path("Shared Read Blocks").asLong();
    }

    private static UUID recordOneEvent(Connection connection, boolean fanOut) throws SQLException {
        UUID event = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events (id, kind, type, occurred_at, tenant_id) "
                + "VALUES (?, 'project', 'project:created', now(), ?)")) {
            insert.setObject(1, event);
            insert.setObject(2, TENANT);
            insert.executeUpdate();
        }
        if (fanOut) {
            try (PreparedStatement deliveries = connection.prepareStatement(
                    "INSERT INTO deliveries (event_id, subscriber_id, payload) VALUES (?, ?, '{}')")) {
                deliveries.setObject(1, event);
                deliveries.setObject(2, WEBHOOK);
                deliveries.executeUpdate();
            }
        }
        return event;
    }

    private static void addIdleWebhooks(Connection connection, int tenants, int perTenant) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO tenants (id, name) SELECT gen_random_uuid(), 'idle ' || g FROM generate_series(1, "
                    + tenants + ") g");
            statement.execute("INSERT INTO subscribers (id, kind, target, tenant_id, secret) "
                    + "SELECT tidings_uuid_v7(), 'webhook', '{\"url\": \"https://idle.example/\"}', t.id, 'whsec_x' "
                    + "FROM tenants t CROSS JOIN generate_series(1, " + perTenant + ") WHERE t.id <> '" + TENANT + "'");
            statement.execute("INSERT INTO subscriptions (subscriber_id, pattern) SELECT id, 'project:*' FROM subscribers "
                    + "WHERE id <> '" + WEBHOOK + "'");
        }
    }
}
