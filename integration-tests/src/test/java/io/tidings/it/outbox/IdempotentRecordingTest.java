package io.tidings.it.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.ops.internal.RetentionPurge;
import io.tidings.outbox.Event;
import io.tidings.outbox.IdempotencyKeyReused;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.Recorded;

/**
 * A fact reported twice under one idempotency key is recorded once, whichever instance or
 * transaction reports it, for as long as the key is in force.
 */
@QuarkusTest
class IdempotentRecordingTest extends EmptyDatabaseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Outbox outbox;
    @Inject
    RetentionPurge retention;

    @Test
    void a_second_recording_under_the_key_records_nothing_and_answers_the_first_id() {
        db.webhook(true, "*");
        Project apollo = Project.create("Apollo", "to the moon", Instant.now());

        Recorded first = record(new ProjectEvent("project:created", apollo), "order-7");
        Recorded again = record(new ProjectEvent("project:created", apollo), "order-7");

        assertThat(first.recorded()).isTrue();
        assertThat(again).isEqualTo(new Recorded(first.eventId(), false));
        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM deliveries")).isEqualTo(1);
        assertThat(record(new ProjectEvent("project:created", apollo), "order-8").recorded()).as("another key").isTrue();
    }

    @Test
    void a_key_given_with_another_payload_is_refused_naming_the_first_event() {
        Project apollo = Project.create("Apollo", "to the moon", Instant.now());
        Recorded first = record(new ProjectEvent("project:created", apollo), "order-7");
        apollo.name = "Artemis";

        assertThatThrownBy(() -> record(new ProjectEvent("project:created", apollo), "order-7"))
                .isInstanceOfSatisfying(IdempotencyKeyReused.class, e -> assertThat(e.recordedEventId()).isEqualTo(first.eventId()))
                .hasMessageContaining("order-7").hasMessageContaining(first.eventId().toString());
        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(1);
    }

    @Test
    void a_key_is_per_tenant() {
        UUID acme = UUID.randomUUID();
        UUID globex = UUID.randomUUID();
        Project apollo = Project.create(acme, "Apollo", "to the moon", Instant.now());
        Project hermes = Project.create(globex, "Hermes", "to the moon", Instant.now());

        assertThat(record(new ProjectEvent("project:created", apollo), "import-1").recorded()).isTrue();
        assertThat(record(new ProjectEvent("project:created", hermes), "import-1").recorded()).isTrue();
        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(2);
    }

    @Test
    void concurrent_transactions_with_one_key_record_once_and_the_second_waits_for_the_first() throws Exception {
        Project apollo = Project.create("Apollo", "to the moon", Instant.now());
        CountDownLatch firstHoldsTheKey = new CountDownLatch(1);
        CountDownLatch letFirstCommit = new CountDownLatch(1);
        CompletableFuture<Recorded> first = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew().call(() -> {
            Recorded recorded = outbox.registerEvent(new ProjectEvent("project:created", apollo), "order-7");
            firstHoldsTheKey.countDown();
            letFirstCommit.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return recorded;
        }));
        assertThat(firstHoldsTheKey.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Recorded> second = CompletableFuture.supplyAsync(() -> record(new ProjectEvent("project:created", apollo), "order-7"));

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE NOT l.granted AND a.query LIKE '%event_idempotency_keys%'") == 1, WAIT, () -> "the second never waited");
        assertThat(second).isNotDone();
        letFirstCommit.countDown();

        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new Recorded(first.get(10, TimeUnit.SECONDS).eventId(), false));
        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(1);
    }

    @Test
    void a_key_whose_transaction_rolled_back_is_free() {
        Project apollo = Project.create("Apollo", "to the moon", Instant.now());
        QuarkusTransaction.begin();
        outbox.registerEvent(new ProjectEvent("project:created", apollo), "order-7");
        QuarkusTransaction.rollback();

        assertThat(record(new ProjectEvent("project:created", apollo), "order-7").recorded()).isTrue();
        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(1);
    }

    @Test
    void past_its_window_a_key_records_anew_and_retention_removes_it() throws Exception {
        Project apollo = Project.create("Apollo", "to the moon", Instant.now());
        Recorded first = record(new ProjectEvent("project:created", apollo), "order-7");
        db.update("UPDATE event_idempotency_keys SET recorded_at = now() - interval '25 hours'"); // the window is 24h

        Recorded later = record(new ProjectEvent("project:created", apollo), "order-7");
        assertThat(later.recorded()).isTrue();
        assertThat(later.eventId()).isNotEqualTo(first.eventId());

        db.update("UPDATE event_idempotency_keys SET recorded_at = now() - interval '25 hours'");
        assertThat(retention.purge().idempotencyKeys()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM event_idempotency_keys")).isZero();
    }

    @Test
    void an_empty_or_overlong_key_is_refused() {
        Project apollo = Project.create("Apollo", "to the moon", Instant.now());
        assertThatThrownBy(() -> record(new ProjectEvent("project:created", apollo), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255");
        assertThatThrownBy(() -> record(new ProjectEvent("project:created", apollo), "k".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Recorded record(Event event, String key) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(event, key));
    }
}
