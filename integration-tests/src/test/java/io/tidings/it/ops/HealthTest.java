package io.tidings.it.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.it.support.EmptyDatabaseTest;

@QuarkusTest
class HealthTest extends EmptyDatabaseTest {

    @Test
    void ready_when_the_database_answers_and_no_migration_is_pending() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("migrations"))
                .body("checks.find { it.name == 'migrations' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'migrations' }.data.pending", equalTo(0));
    }

    @Test
    void readiness_logs_nothing_of_flyway_once_the_migrations_are_applied() {
        given().when().get("/q/health/ready").then().statusCode(200);
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord entry) {
                logged.add(entry.getLoggerName() + ": " + entry.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // The service turns Flyway's INFO off; a host application that adds Tidings has it on.
        Logger flyway = Logger.getLogger("org.flywaydb");
        Level configured = flyway.getLevel();
        flyway.setLevel(Level.INFO);
        flyway.addHandler(handler);
        try {
            for (int i = 0; i < 3; i++) {
                given().when().get("/q/health/ready").then().statusCode(200);
            }
        } finally {
            flyway.removeHandler(handler);
            flyway.setLevel(configured);
        }
        assertThat(logged).as("a readiness probe calls every few seconds").isEmpty();
    }

    @Test
    void live_reports_the_worker() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'delivery-worker' }.status", equalTo("UP"));
    }

    @Test
    void the_outbox_check_reports_the_backlog_and_goes_down_when_it_lags() {
        UUID webhook = db.webhook(true, "*");
        db.update("INSERT INTO events (id, kind, type, occurred_at) VALUES (?, 'project', 'project:created', now())",
                UUID.randomUUID());
        Object event = db.value("SELECT id FROM events");
        db.update("INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at) VALUES (?, ?, '{}', now())",
                event, webhook);

        given().when().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'outbox' }.data.pending", equalTo(1));

        db.update("UPDATE deliveries SET next_attempt_at = now() - interval '10 minutes'");
        given().when().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'outbox' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'outbox' }.data.maxLagSeconds", equalTo(300));

        // a webhook whose own rate limit holds its deliveries back is not the outbox lagging
        db.update("UPDATE subscribers SET max_per_second = 1 WHERE id = ?", webhook);
        given().when().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'outbox' }.data.pending", equalTo(1));
    }
}
