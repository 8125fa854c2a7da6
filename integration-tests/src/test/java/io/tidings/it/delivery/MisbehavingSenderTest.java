package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.WorkerWakeUp;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;

/**
 * A sender that breaks its contract fails its own attempts, which are retried on the schedule; the
 * worker and the other subscribers carry on. The kinds exist only here, so the test lifts the
 * check on {@code subscribers.kind} and puts it back.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class MisbehavingSenderTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DELIVERIES = "SELECT d.status, d.attempts, d.last_error FROM deliveries d "
            + "JOIN subscribers s ON s.id = d.subscriber_id WHERE s.kind = ?";

    @Inject
    Outbox outbox;

    @AfterEach
    void forgetTestKinds() {
        db.update("DELETE FROM subscribers WHERE kind LIKE 'test-%'");
    }

    @Test
    void a_sender_that_throws_fails_that_attempt_and_the_worker_goes_on() {
        receiver.replyWith(request -> Reply.status(204));
        db.webhook(receiver.url("/hook"), true, "*");
        outboxFor(MisbehavingSenders.THROWING, 1);

        receiver.awaitRequests("/hook", 1, WAIT);
        List<Map<String, Object>> failed = awaitAttempted(MisbehavingSenders.THROWING, 1);
        assertThat(failed).singleElement().satisfies(delivery -> {
            assertThat(delivery.get("status")).as("retried on the schedule").isEqualTo("pending");
            assertThat((String) delivery.get("last_error")).contains("IllegalStateException: the test sender throws");
        });
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 1, WAIT,
                () -> "the webhook's delivery was not recorded");
    }

    @Test
    void a_batch_answered_with_too_few_results_fails_every_delivery_of_that_batch() {
        outboxFor(MisbehavingSenders.MISCOUNTING, 3);

        List<Map<String, Object>> failed = awaitAttempted(MisbehavingSenders.MISCOUNTING, 3);
        assertThat(failed).allSatisfy(delivery -> {
            assertThat(delivery.get("status")).isEqualTo("pending");
            assertThat((String) delivery.get("last_error")).containsPattern("test-miscounting sender answered \\d results for \\d deliveries");
        });
        assertThat(db.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(3);
    }

    /** Records {@code events} events, each with a delivery to a new subscriber of {@code kind}, and wakes the worker. */
    private void outboxFor(String kind, int events) {
        UUID subscriber = (UUID) db.value("INSERT INTO subscribers (kind) VALUES (?) RETURNING id", kind);
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < events; i++) {
            ids.add(QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                    new ProjectEvent("project:created", Project.create(null, "Apollo", null, Instant.now())))).getId());
        }
        db.update("INSERT INTO deliveries (event_id, subscriber_id, payload) SELECT id, ?, '{}' FROM unnest(?::uuid[]) AS id",
                subscriber, ids.toArray(UUID[]::new));
        db.rows("SELECT pg_notify('" + WorkerWakeUp.CHANNEL + "', '')");
    }

    private List<Map<String, Object>> awaitAttempted(String kind, int count) {
        WebhookReceiver.await(() -> db.rows(DELIVERIES, kind).stream().filter(d -> d.get("last_error") != null).count() == count,
                WAIT, () -> "deliveries: " + db.rows(DELIVERIES, kind));
        return db.rows(DELIVERIES, kind);
    }
}
