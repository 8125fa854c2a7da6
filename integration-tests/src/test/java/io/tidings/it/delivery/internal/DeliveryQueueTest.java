package io.tidings.it.delivery.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.internal.DeliveryQueue;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.Outcome;
import io.tidings.delivery.internal.RetryPolicy;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.secrets.internal.WebhookSecrets;

@QuarkusTest
class DeliveryQueueTest extends EmptyDatabaseTest {

    private static final int WARM_UP_CALLS = 12; // past pgjdbc's server-side prepare and PostgreSQL's custom plans

    @Inject
    DataSource dataSource;
    @Inject
    WebhookSecrets secrets;

    // Plans are cached per connection, so one connection makes them while the outbox is empty, as
    // on a fresh install, and runs them again once it holds thousands of rows that autovacuum has
    // not analyzed yet.
    @Test
    void claims_and_outcomes_read_by_key_with_plans_made_on_an_empty_outbox() throws Exception {
        UUID webhook = db.webhook("https://example.test/hook", true, "*");
        db.update("ALTER TABLE deliveries SET (autovacuum_enabled = false)");
        db.update("ALTER TABLE events SET (autovacuum_enabled = false)");
        db.update("CREATE TABLE statistics_probe (id int)");
        try (Connection connection = dataSource.getConnection()) {
            DeliveryQueue repository = new DeliveryQueue(only(connection), secrets);
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                repository.claim(Instant.now(), Set.of("webhook"), Set.of(), 10, 10, Duration.ofSeconds(60));
                repository.record(List.of(delivered(UUID.randomUUID())));
            }
            UUID due;
            try (Connection filler = dataSource.getConnection()) {
                fillWithDeliveredRows(filler, webhook, 5_000);
                due = dueDelivery(filler, webhook);
                published(filler); // its foreign-key checks may scan events: they must count before, not after
            }
            Map<String, Object> before = scans(connection);

            List<ClaimedDelivery> claimed = repository.claim(Instant.now(), Set.of("webhook"), Set.of(), 10, 10,
                    Duration.ofSeconds(60));
            repository.record(List.of(delivered(claimed.get(0).id())));

            assertThat(claimed).extracting(ClaimedDelivery::id).containsExactly(due);
            assertThat(setting(connection, "plan_cache_mode")).as("the claim's settings end with it").isEqualTo("auto");
            assertThat(db.value("SELECT status FROM deliveries WHERE id = ?", due)).isEqualTo("delivered");
            Map<String, Object> after = scans(connection);
            assertThat(after).as("no table scans; before: %s", before)
                    .containsEntry("deliveries_seq", before.get("deliveries_seq"))
                    .containsEntry("events_seq", before.get("events_seq"));
        } finally {
            db.update("ALTER TABLE deliveries RESET (autovacuum_enabled)");
            db.update("ALTER TABLE events RESET (autovacuum_enabled)");
            db.update("DROP TABLE statistics_probe");
        }
    }

    @Test
    void successive_claims_take_turns_among_the_subscribers_with_a_backlog() throws Exception {
        List<UUID> webhooks = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID webhook = db.webhook("https://example.test/hook", true, "*");
            webhooks.add(webhook);
            db.update("WITH e AS (INSERT INTO events (id, kind, type, occurred_at) SELECT gen_random_uuid(), 'project', "
                    + "'project:created', now() FROM generate_series(1, 10) RETURNING id) "
                    + "INSERT INTO deliveries (event_id, subscriber_id, payload) SELECT id, ?, '{}' FROM e", webhook);
        }
        DeliveryQueue repository = new DeliveryQueue(dataSource, secrets);
        java.util.Set<UUID> served = new java.util.LinkedHashSet<>();
        for (int claim = 0; claim < webhooks.size(); claim++) {
            List<ClaimedDelivery> claimed = repository.claim(Instant.now(), Set.of("webhook"), Set.of(), 4, 4,
                    Duration.ofSeconds(60));
            assertThat(claimed).hasSize(4).extracting(ClaimedDelivery::subscriberId).containsOnly(claimed.get(0).subscriberId());
            served.add(claimed.get(0).subscriberId());
        }
        assertThat(served).as("each claim starts after the subscriber where the last one stopped")
                .containsExactlyInAnyOrderElementsOf(webhooks);
    }

    private static void fillWithDeliveredRows(Connection connection, UUID webhook, int rows) throws Exception {
        try (PreparedStatement fill = connection.prepareStatement("""
                WITH e AS (
                    INSERT INTO events (id, kind, type, occurred_at)
                    SELECT tidings_uuid_v7(), 'project', 'project:created', now() FROM generate_series(1, ?)
                    RETURNING id)
                INSERT INTO deliveries (event_id, subscriber_id, payload, status, delivered_at)
                SELECT id, ?, '{}', 'delivered', now() FROM e""")) {
            fill.setInt(1, rows);
            fill.setObject(2, webhook);
            fill.executeUpdate();
        }
    }

    private static UUID dueDelivery(Connection connection, UUID webhook) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                WITH e AS (
                    INSERT INTO events (id, kind, type, occurred_at) VALUES (tidings_uuid_v7(), 'project', 'project:created', now())
                    RETURNING id)
                INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at)
                SELECT id, ?, '{}', now() - interval '1 second' FROM e RETURNING id""")) {
            insert.setObject(1, webhook);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getObject(1, UUID.class);
            }
        }
    }

    private static Outcome delivered(UUID id) {
        Instant now = Instant.now();
        ClaimedDelivery delivery = new ClaimedDelivery(id, UUID.randomUUID(), UUID.randomUUID(), "webhook", JsonNodeFactory.instance.objectNode(),
                "project:created", now, 1, "{}", List.of(), now);
        return new Outcome(delivery, AttemptResult.delivered(now, Duration.ofMillis(1), null).withAnswer(204, null),
                new RetryPolicy.Decision(DeliveryStatus.DELIVERED, now, null));
    }

    /** Sequential scans of deliveries and events so far, this connection's included. */
    private Map<String, Object> scans(Connection connection) throws Exception {
        published(connection);
        return db.rows("""
                SELECT max(seq_scan) FILTER (WHERE relname = 'deliveries') AS deliveries_seq,
                       max(seq_scan) FILTER (WHERE relname = 'events') AS events_seq
                  FROM pg_stat_user_tables WHERE relname IN ('deliveries', 'events')""").get(0);
    }

    /** Asks the connection to publish its statistics; a scan of a table no one else reads shows when it has. */
    private void published(Connection connection) throws Exception {
        long probesBefore = probes();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT count(*) FROM statistics_probe");
            statement.execute("SELECT pg_stat_force_next_flush()");
        }
        WebhookReceiver.await(() -> probes() > probesBefore, Duration.ofSeconds(10),
                () -> "the connection's statistics were not published");
    }

    private static String setting(Connection connection, String name) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            row.next();
            return row.getString(1);
        }
    }

    private long probes() {
        return ((Number) db.value("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'statistics_probe'")).longValue();
    }

    /** A data source that hands out this connection every time and never closes it. */
    private static DataSource only(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] { Connection.class },
                (proxy, method, args) -> method.getName().equals("close") ? null : method.invoke(connection, args));
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] { DataSource.class },
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return unclosable;
                });
    }
}
