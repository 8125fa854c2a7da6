package io.tidings.it.ops.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.ops.internal.OutboxVacuum;

@QuarkusTest
class OutboxVacuumTest extends EmptyDatabaseTest {

    @Inject
    OutboxVacuum vacuum;

    @Test
    void tables_autovacuum_is_off_for_are_named_in_the_wellness_check_and_vacuumed_once_dead_rows_pile_up() throws Exception {
        given().when().get("/q/health/well").then().body("checks.find { it.name == 'outbox' }.data.autovacuumOff", nullValue());
        db.update("ALTER TABLE deliveries SET (autovacuum_enabled = false)");
        try {
            assertThat(vacuum.tablesWithoutAutovacuum()).containsExactly("deliveries");
            given().when().get("/q/health/well").then()
                    .body("checks.find { it.name == 'outbox' }.data.autovacuumOff", equalTo("deliveries"));
            UUID webhook = db.webhook(true, "*");
            db.update("INSERT INTO events (id, kind, type, occurred_at) "
                    + "SELECT gen_random_uuid(), 'project', 'project:created', now() FROM generate_series(1, 3000)");
            db.update("INSERT INTO deliveries (event_id, subscriber_id, payload) SELECT id, ?, '{}' FROM events", webhook);
            db.update("UPDATE deliveries SET status = 'delivered', delivered_at = now()"); // 3,000 dead row versions
            long before = db.count("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'deliveries'");

            // the dead rows reach the statistics within a second or so: run until they have
            WebhookReceiver.await(() -> run() && vacuumCount() > before, Duration.ofSeconds(20),
                    () -> "deliveries not vacuumed; dead rows: " + db.count(
                            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'deliveries'"));
        } finally {
            db.update("ALTER TABLE deliveries RESET (autovacuum_enabled)");
        }
        assertThat(vacuum.tablesWithoutAutovacuum()).isEmpty();
    }

    /**
     * Events are written, hardly ever updated: no dead rows, but a table that grows. Without
     * ANALYZE, foreign-key checks planned while it was small keep scanning it whole.
     */
    @Test
    void a_table_autovacuum_is_off_for_is_analyzed_once_a_tenth_of_it_is_new() throws Exception {
        db.update("ALTER TABLE events SET (autovacuum_enabled = false)");
        try {
            long before = analyzeCount();
            long vacuumed = db.count("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'events'");
            db.update("INSERT INTO events (id, kind, type, occurred_at) "
                    + "SELECT gen_random_uuid(), 'project', 'project:created', now() FROM generate_series(1, 3000)");
            WebhookReceiver.await(() -> run() && analyzeCount() > before, Duration.ofSeconds(20),
                    () -> "events not analyzed; rows changed since: " + db.count(
                            "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'events'"));
            assertThat(db.count("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'events'")).as("nothing to vacuum")
                    .isEqualTo(vacuumed);
        } finally {
            db.update("ALTER TABLE events RESET (autovacuum_enabled)");
        }
    }

    private long analyzeCount() {
        return db.count("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'events'");
    }

    private boolean run() {
        try {
            vacuum.run();
            return true;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long vacuumCount() {
        return db.count("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'deliveries'");
    }
}
