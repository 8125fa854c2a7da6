package io.tidings.it.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.analytics.internal.AnalyticsSubscriber;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.example.TestEvents;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.WorkerWakeUp;

@QuarkusTest
class OutboxTest extends EmptyDatabaseTest {

    @Inject
    Outbox outbox;
    @Inject
    DataSource dataSource;

    @Test
    void registerEvent_outside_a_transaction_throws_and_writes_nothing() {
        db.webhook(true, "*");

        assertThatThrownBy(() -> outbox.registerEvent(projectEvent("project:created", "Apollo")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside an active transaction")
                .hasMessageContaining("@Transactional");

        assertThat(db.count("SELECT count(*) FROM events")).isZero();
        assertThat(db.count("SELECT count(*) FROM deliveries")).isZero();
    }

    @Test
    void an_unknown_type_is_refused_before_anything_is_written() {
        db.webhook(true, "*");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(List.of(
                projectEvent("project:created", "Apollo"), projectEvent("project:exploded", "Apollo")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'project:exploded'")
                .hasMessageContaining("@Emits");

        assertThat(db.count("SELECT count(*) FROM events")).isZero();
    }

    @Test
    void rollback_leaves_neither_the_event_nor_its_deliveries() {
        db.webhook(true, "*");

        QuarkusTransaction.begin();
        outbox.registerEvent(projectEvent("project:created", "Apollo"));
        QuarkusTransaction.rollback();

        assertThat(db.count("SELECT count(*) FROM events")).isZero();
        assertThat(db.count("SELECT count(*) FROM deliveries")).isZero();
    }

    @Test
    void commit_keeps_the_event_with_one_pending_delivery_per_matching_subscriber() {
        UUID first = db.webhook(true, "project:*");
        UUID second = db.webhook(true, "*");

        ProjectEvent event = QuarkusTransaction.requiringNew()
                .call(() -> outbox.registerEvent(projectEvent("project:created", "Apollo")));

        assertThat(event.getId()).isNotNull();
        assertThat(event.getOccurredAt()).isNotNull();
        List<Map<String, Object>> deliveries = db.rows(
                "SELECT subscriber_id, status, attempts, next_attempt_at IS NOT NULL AS due FROM deliveries WHERE event_id = ?",
                event.getId());
        assertThat(deliveries).extracting(row -> row.get("subscriber_id")).containsExactlyInAnyOrder(first, second);
        assertThat(deliveries).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("pending");
            assertThat(row.get("attempts")).isEqualTo(0);
            assertThat(row.get("due")).isEqualTo(true);
        });
    }

    @Test
    void a_delivery_keeps_the_payload_rendered_when_the_event_was_recorded() {
        db.webhook(true, "*");
        Project project = Project.create("Apollo", "to the moon", Instant.now());
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(new ProjectEvent("project:created", project)));

        project.name = "Artemis";
        project.description = "back to the moon";
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(new ProjectEvent("project:updated", project)));

        List<Object> payloads = db.rows("SELECT d.payload::text AS payload FROM deliveries d JOIN events e ON e.id = d.event_id "
                + "ORDER BY e.id").stream().map(row -> row.get("payload")).toList();
        assertThat(payloads).hasSize(2);
        assertThat((String) payloads.get(0)).contains("\"Apollo\"", "\"to the moon\"").doesNotContain("Artemis");
        assertThat((String) payloads.get(1)).contains("\"Artemis\"");
    }

    @Test
    void fan_out_follows_each_subscribers_patterns_exactly() {
        UUID all = db.webhook(true, "*");
        UUID projects = db.webhook(true, "project:*");
        UUID jobs = db.webhook(true, "project:job:*");
        UUID runs = db.webhook(true, "project:job:pipeline_run:*");
        UUID failures = db.webhook(true, "project:job:failed", "project:job:pipeline_run:failed");
        UUID created = db.webhook(true, "project:created");
        UUID disabled = db.webhook(false, "*");
        UUID none = db.webhook(true);
        List<String> types = List.of("project:created", "project:deleted", "project:job:failed",
                "project:job:succeeded", "project:job:pipeline_run:failed", "project:job:pipeline_run:started");

        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(
                types.stream().map(type -> TestEvents.of(type, "Apollo")).toList()));

        Map<Object, Set<Object>> received = db.rows("SELECT d.subscriber_id, e.type FROM deliveries d "
                + "JOIN events e ON e.id = d.event_id").stream()
                .collect(Collectors.groupingBy(row -> row.get("subscriber_id"),
                        Collectors.mapping(row -> row.get("type"), Collectors.toSet())));
        assertThat(received.get(all)).containsExactlyInAnyOrderElementsOf(types);
        assertThat(received.get(projects)).containsExactlyInAnyOrderElementsOf(types);
        assertThat(received.get(jobs)).containsExactlyInAnyOrder("project:job:failed", "project:job:succeeded",
                "project:job:pipeline_run:failed", "project:job:pipeline_run:started");
        assertThat(received.get(runs)).containsExactlyInAnyOrder("project:job:pipeline_run:failed",
                "project:job:pipeline_run:started");
        assertThat(received.get(failures)).containsExactlyInAnyOrder("project:job:failed", "project:job:pipeline_run:failed");
        assertThat(received.get(created)).containsExactly("project:created");
        assertThat(received).doesNotContainKeys(disabled, none, AnalyticsSubscriber.ID);
    }

    @Test
    void the_analytics_subscriber_gets_the_telemetry_payload_of_allowed_types_only_while_enabled() {
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(projectEvent("project:created", "Apollo")));
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("analytics off: no rows at all").isZero();

        db.setAnalyticsEnabled(true);
        db.update("UPDATE event_types SET telemetry_allowed = false WHERE name = 'project:updated'");
        try {
            QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(
                    List.of(projectEvent("project:updated", "Apollo"), projectEvent("project:created", "Apollo"))));
        } finally {
            db.update("UPDATE event_types SET telemetry_allowed = true WHERE name = 'project:updated'");
        }

        List<Map<String, Object>> deliveries = db.rows("SELECT d.subscriber_id, e.type, d.payload::text AS payload "
                + "FROM deliveries d JOIN events e ON e.id = d.event_id");
        assertThat(deliveries).as("a type whose export is not allowed leaves nothing for analytics").hasSize(1);
        assertThat(deliveries.get(0)).containsEntry("subscriber_id", AnalyticsSubscriber.ID).containsEntry("type", "project:created");
        assertThat((String) deliveries.get(0).get("payload")).contains("\"id\"").doesNotContain("Apollo", "moon");
    }

    @Test
    void routes_follow_types_registered_later_and_subscribers_switched_off() {
        UUID webhook = db.webhook(true, "project:*");
        String routes = "SELECT count(*) FROM subscriber_routes WHERE subscriber_id = ? AND event_type = 'project:archived'";
        try {
            db.update("INSERT INTO event_types (name, description) VALUES ('project:archived', 'A project was archived.')");
            assertThat(db.count(routes, webhook)).as("a prefix pattern takes a type registered after it").isEqualTo(1);

            db.update("UPDATE subscribers SET enabled = false WHERE id = ?", webhook);
            assertThat(db.count("SELECT count(*) FROM subscriber_routes WHERE subscriber_id = ?", webhook)).isZero();
            db.update("UPDATE subscribers SET enabled = true WHERE id = ?", webhook);
            assertThat(db.count(routes, webhook)).isEqualTo(1);
        } finally {
            db.update("DELETE FROM event_types WHERE name = 'project:archived'");
        }
    }

    @Test
    void a_thousand_events_in_one_transaction_fan_out_to_every_match() {
        db.webhook(true, "project:created");
        db.webhook(true, "project:*");
        db.setAnalyticsEnabled(true);
        List<ProjectEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(projectEvent(i % 2 == 0 ? "project:created" : "project:updated", "Project " + i));
        }

        QuarkusTransaction.requiringNew().run(() -> events.forEach(outbox::registerEvent));

        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(1000);
        // 500 created x 3 subscribers + 500 updated x 2 (analytics and project:*)
        assertThat(db.count("SELECT count(*) FROM deliveries")).isEqualTo(2500);
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM deliveries")).isEqualTo(1000);
    }

    @Test
    void workers_are_notified_at_commit_and_not_on_rollback() throws Exception {
        db.webhook(true, "*");
        try (Listening listener = listening()) {
            PGConnection notifications = listener.notifications();
            notifications.getNotifications(300); // any commit of an earlier test notifies too, shortly after it

            QuarkusTransaction.begin();
            outbox.registerEvent(projectEvent("project:created", "Apollo"));
            outbox.registerEvent(projectEvent("project:updated", "Apollo"));
            assertThat(notifications.getNotifications(300)).as("before commit").isNullOrEmpty();
            QuarkusTransaction.commit();
            assertThat(notifications.getNotifications(10_000)).as("at commit, once per transaction").hasSize(1);

            QuarkusTransaction.begin();
            outbox.registerEvent(projectEvent("project:created", "Apollo"));
            QuarkusTransaction.rollback();
            assertThat(notifications.getNotifications(300)).as("after rollback").isNullOrEmpty();
        }
    }

    @Test
    void commits_close_together_share_one_notification() throws Exception {
        db.webhook(true, "*");
        try (Listening listener = listening()) {
            PGConnection notifications = listener.notifications();
            int commits = 200;
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                done.add(threads.submit(() -> QuarkusTransaction.requiringNew()
                        .run(() -> outbox.registerEvent(projectEvent("project:created", "Apollo")))));
            }
            for (Future<?> commit : done) {
                commit.get();
            }
            threads.shutdown();

            int received = 0;
            for (PGNotification[] batch; (batch = notifications.getNotifications(1_000)) != null && batch.length > 0;) {
                received += batch.length;
            }
            assertThat(received).as("notifications for %d commits", commits).isBetween(1, commits - 1);
        }
    }

    /** A connection listening on the workers' channel, as a worker's does. */
    private Listening listening() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (Statement listen = connection.createStatement()) {
            listen.execute("LISTEN " + WorkerWakeUp.CHANNEL);
            return new Listening(connection, connection.unwrap(PGConnection.class));
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    // Closing stops the listening before the pool has the connection back, as OutboxListener does:
    // the connection's next user, in whichever test, must not inherit the subscription.
    private record Listening(Connection connection, PGConnection notifications) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            try (Connection pooled = connection; Statement unlisten = pooled.createStatement()) {
                unlisten.execute("UNLISTEN *");
            }
        }
    }

    static ProjectEvent projectEvent(String type, String name) {
        return new ProjectEvent(type, Project.create(name, "to the moon", Instant.now()));
    }
}
