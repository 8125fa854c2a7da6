package io.tidings.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.ops.internal.RetentionPurge;
import io.tidings.it.support.EmptyDatabaseTest;

@QuarkusTest
class RetentionTest extends EmptyDatabaseTest {

    @Inject
    RetentionPurge purge;

    @Test
    void purge_removes_what_is_finished_and_old_and_keeps_every_row_still_needed() throws Exception {
        UUID webhook = db.webhook(true, "*");
        UUID oldDelivered = delivery(webhook, "delivered", "8 days", "delivered_at");
        UUID recentDelivered = delivery(webhook, "delivered", "6 days", "delivered_at");
        UUID oldDead = delivery(webhook, "dead", "31 days", "next_attempt_at");
        UUID recentDead = delivery(webhook, "dead", "20 days", "next_attempt_at");
        UUID oldPending = delivery(webhook, "pending", "40 days", "next_attempt_at");
        UUID oldInFlight = delivery(webhook, "in_flight", "40 days", "next_attempt_at");
        db.update("INSERT INTO delivery_attempts (delivery_id, attempted_at, duration_ms) VALUES (?, now(), 1)", oldDelivered);
        UUID orphanOld = event("10 days");
        UUID orphanRecent = event("1 day");

        RetentionPurge.Result result = purge.purge();

        assertThat(result.delivered()).isEqualTo(1);
        assertThat(result.dead()).isEqualTo(1);
        assertThat(db.rows("SELECT id FROM deliveries")).extracting(row -> row.get("id"))
                .containsExactlyInAnyOrder(recentDelivered, recentDead, oldPending, oldInFlight);
        assertThat(db.count("SELECT count(*) FROM delivery_attempts")).isZero();
        assertThat(db.rows("SELECT id FROM events")).extracting(row -> row.get("id"))
                .contains(orphanRecent, eventOf(oldPending), eventOf(oldInFlight), eventOf(recentDead))
                .doesNotContain(orphanOld, eventOf(oldDelivered), eventOf(oldDead));
        assertThat(result.events()).isEqualTo(3);
    }

    private final java.util.Map<UUID, UUID> events = new java.util.HashMap<>();

    private UUID delivery(UUID subscriber, String status, String age, String column) {
        UUID event = event("40 days");
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO deliveries (id, event_id, subscriber_id, status, payload, " + column + ") "
                + "VALUES (?, ?, ?, ?, '{}', now() - ?::interval)", id, event, subscriber, status, age);
        events.put(id, event);
        return id;
    }

    private UUID eventOf(UUID delivery) {
        return events.get(delivery);
    }

    private UUID event(String age) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO events (id, kind, type, occurred_at, recorded_at) "
                + "VALUES (?, 'project', 'project:created', now(), now() - ?::interval)", id, age);
        return id;
    }
}
