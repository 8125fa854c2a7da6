package io.tidings.it.delivery.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.delivery.internal.DeliveryWorker;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WorkerCycles;
import io.tidings.outbox.Outbox;

@QuarkusTest
@TestProfile(WorkerProfile.class)
class DeliveryWorkerTest extends ReceiverTest {

    // The webhooks take project:*, not *: a failing one's webhook:failing notice would be traffic of its own here.
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;
    @Inject
    DeliveryWorker worker;

    @Test
    void a_receiver_that_fails_twice_gets_the_message_on_the_third_attempt_after_each_backoff() throws Exception {
        receiver.replyWith(request -> request.number() <= 2 ? Reply.status(500).withBody("boom") : Reply.status(204));
        db.webhook(receiver.url("/flaky"), true, "project:*");
        UUID event = record("project:created");

        receiver.awaitRequests("/flaky", 1, WAIT);
        Map<String, Object> afterFirst = awaitDelivery(d -> d.get("attempts").equals(1) && d.get("status").equals("pending"));
        assertThat(waitAfterLastAttempt(afterFirst)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
        WorkerCycles.awaitFreshCycle(worker, clock);
        assertThat(receiver.requests("/flaky")).as("not retried before the backoff ran out").hasSize(1);

        clock.advance(Duration.ofSeconds(6));
        receiver.awaitRequests("/flaky", 2, WAIT);
        Map<String, Object> afterSecond = awaitDelivery(d -> d.get("attempts").equals(2) && d.get("status").equals("pending"));
        assertThat(waitAfterLastAttempt(afterSecond)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));

        clock.advance(Duration.ofMinutes(6));
        List<WebhookReceiver.Request> requests = receiver.awaitRequests("/flaky", 3, WAIT);
        awaitDelivery(d -> d.get("status").equals("delivered"));

        assertThat(db.rows("SELECT status_code, response_excerpt FROM delivery_attempts ORDER BY id"))
                .extracting(row -> row.get("status_code"), row -> row.get("response_excerpt"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(500, "boom"),
                        org.assertj.core.groups.Tuple.tuple(500, "boom"),
                        org.assertj.core.groups.Tuple.tuple(204, null));
        assertThat(requests).extracting(WebhookReceiver.Request::webhookId).containsOnly(event.toString());
        assertThat(requests).extracting(WebhookReceiver.Request::body).containsOnly(requests.get(0).body());
    }

    @Test
    void a_message_follows_standard_webhooks() throws Exception {
        db.webhook(receiver.url("/hook"), true, "project:*");
        UUID event = record("project:created");

        WebhookReceiver.Request request = receiver.awaitRequests("/hook", 1, WAIT).get(0);

        assertThat(request.webhookId()).isEqualTo(event.toString());
        assertThat(Long.parseLong(request.webhookTimestamp())).isCloseTo(clock.instant().getEpochSecond(),
                org.assertj.core.data.Offset.offset(60L));
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.userAgent()).matches("Tidings/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(webhooks\\)")
                .doesNotContain(WorkerProfile.HOST_VERSION);
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.get("type").asText()).isEqualTo("project:created");
        assertThat(Instant.parse(body.get("timestamp").asText())).isNotNull();
        assertThat(body.at("/data/project/name").asText()).isEqualTo("Apollo");
    }

    @Test
    void a_receiver_that_stays_down_makes_the_delivery_dead_after_the_last_step() {
        db.webhook(WebhookReceiver.refusingUrl(), true, "project:*");
        record("project:created");

        awaitDelivery(d -> d.get("attempts").equals(1) && d.get("status").equals("pending"));
        clock.advance(Duration.ofSeconds(6));
        awaitDelivery(d -> d.get("attempts").equals(2) && d.get("status").equals("pending"));
        clock.advance(Duration.ofMinutes(6));
        Map<String, Object> dead = awaitDelivery(d -> d.get("status").equals("dead"));

        assertThat(dead.get("attempts")).isEqualTo(3);
        assertThat((String) dead.get("last_error")).startsWith("gave up after 3 attempts");
        assertThat(db.rows("SELECT status_code, error FROM delivery_attempts")).hasSize(3)
                .allSatisfy(attempt -> {
                    assertThat(attempt.get("status_code")).isNull();
                    assertThat((String) attempt.get("error")).containsIgnoringCase("refused");
                });
    }

    @Test
    void gone_makes_the_delivery_dead_at_once() {
        receiver.replyWith(request -> Reply.status(410));
        db.webhook(receiver.url("/gone"), true, "project:*");
        record("project:created");

        Map<String, Object> dead = awaitDelivery(d -> d.get("status").equals("dead"));

        assertThat(dead.get("attempts")).isEqualTo(1);
        assertThat((String) dead.get("last_error")).contains("410");
    }

    @Test
    void retry_after_sets_the_next_attempt_within_bounds() {
        receiver.replyWith(request -> Reply.status(503).withHeader("Retry-After", "120"));
        db.webhook(receiver.url("/busy"), true, "project:*");
        record("project:created");

        Map<String, Object> delivery = awaitDelivery(d -> d.get("attempts").equals(1) && d.get("status").equals("pending"));

        assertThat(waitAfterLastAttempt(delivery)).isBetween(Duration.ofSeconds(119), Duration.ofSeconds(121));
    }

    @Test
    void a_receiver_slower_than_the_timeout_is_a_failed_attempt() {
        CountDownLatch never = new CountDownLatch(1);
        receiver.replyWith(request -> Reply.status(204).heldUntil(never));
        db.webhook(receiver.url("/slow"), true, "project:*");
        record("project:created");

        Map<String, Object> delivery = awaitDelivery(d -> d.get("attempts").equals(1) && d.get("status").equals("pending"));

        assertThat((String) delivery.get("last_error")).contains("timed out after 1s");
        never.countDown();
    }

    @Test
    void one_stalled_subscriber_does_not_hold_up_the_others() {
        CountDownLatch release = new CountDownLatch(1);
        receiver.replyWith(request -> request.path().equals("/stalled") ? Reply.status(204).heldUntil(release) : Reply.status(204));
        db.webhook(receiver.url("/stalled"), true, "project:*");
        db.webhook(receiver.url("/healthy"), true, "project:*");

        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 40; i++) {
                outbox.registerEvent(new ProjectEvent("project:created", Project.create("P" + i, null, Instant.now())));
            }
        });

        receiver.awaitRequests("/healthy", 40, WAIT);
        release.countDown();
        // Held requests end only when the client gives up after the 1s timeout, so within less than
        // that, no more than the per-subscriber limit can have been started.
        List<WebhookReceiver.Request> stalled = receiver.requests("/stalled");
        Instant first = stalled.get(0).receivedAt();
        assertThat(stalled).filteredOn(r -> r.receivedAt().isBefore(first.plusMillis(900))).hasSizeBetween(1, 4);
    }

    @Test
    void retry_puts_a_delivered_delivery_back_and_sends_it_again_with_the_same_id() {
        Tenants.Tenant tenant = Tenants.create("Acme");
        tenant.webhook(receiver.url("/hook"), "project:*");
        UUID event = record("project:created", tenant.id());
        Map<String, Object> delivered = awaitDelivery(d -> d.get("status").equals("delivered"));

        tenant.given().when().post("/api/deliveries/" + delivered.get("id") + "/retry")
                .then().statusCode(202).body("status", equalTo("pending"));

        List<WebhookReceiver.Request> requests = receiver.awaitRequests("/hook", 2, WAIT);
        assertThat(requests).extracting(WebhookReceiver.Request::webhookId).containsOnly(event.toString());
        awaitDelivery(d -> d.get("status").equals("delivered"));
        tenant.given().when().get("/api/deliveries/" + delivered.get("id"))
                .then().statusCode(200).body("attempts.size()", equalTo(2)).body("attempts[1].statusCode", equalTo(204));
    }

    @Test
    void retry_of_a_pending_delivery_is_a_409_and_of_an_unknown_or_foreign_one_a_404() {
        CountDownLatch release = new CountDownLatch(1);
        receiver.replyWith(request -> Reply.status(204).heldUntil(release));
        Tenants.Tenant tenant = Tenants.create("Acme");
        tenant.webhook(receiver.url("/held"), "project:*");
        record("project:created", tenant.id());
        Map<String, Object> inFlight = awaitDelivery(d -> d.get("status").equals("in_flight"));

        tenant.given().when().post("/api/deliveries/" + inFlight.get("id") + "/retry")
                .then().statusCode(409).body("field", equalTo("status"));
        tenant.given().when().post("/api/deliveries/" + UUID.randomUUID() + "/retry").then().statusCode(404);
        Tenants.create("Other").given().when().post("/api/deliveries/" + inFlight.get("id") + "/retry")
                .then().statusCode(404);
        given().when().post("/api/deliveries/" + inFlight.get("id") + "/retry").then().statusCode(401);
        release.countDown();
    }

    @Test
    void an_outcome_the_database_refuses_waits_in_memory_with_its_delivery_leased_until_it_can_be_written() {
        receiver.replyWith(request -> Reply.status(204));
        db.webhook(receiver.url("/hook"), true, "project:*");
        db.update("CREATE FUNCTION tidings_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN RAISE EXCEPTION 'refused by the test'; END $$");
        db.update("CREATE TRIGGER tidings_test_refuse BEFORE INSERT ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION tidings_test_refuse()");
        try {
            record("project:created");
            receiver.awaitRequests("/hook", 1, WAIT);
            WebhookReceiver.await(() -> worker.unwrittenOutcomes() == 1, WAIT, () -> "unwritten: " + worker.unwrittenOutcomes());
            given().when().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("tidings_worker_outcomes_unwritten 1.0"));
            assertThat(db.value("SELECT status FROM deliveries")).as("still leased, so not sent again").isEqualTo("in_flight");
        } finally {
            db.update("DROP TRIGGER tidings_test_refuse ON delivery_attempts");
            db.update("DROP FUNCTION tidings_test_refuse()");
        }
        awaitDelivery(d -> d.get("status").equals("delivered"));
        WebhookReceiver.await(() -> worker.unwrittenOutcomes() == 0, WAIT, () -> "unwritten: " + worker.unwrittenOutcomes());
        assertThat(db.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(1);
        assertThat(receiver.requests("/hook")).as("sent once").hasSize(1);
    }

    @Test
    void an_outcome_the_database_refuses_as_it_came_is_stored_without_the_response_and_holds_back_no_other() {
        receiver.replyWith(request -> Reply.status(200).withBody(request.number() == 2 ? "poison" : "fine"));
        db.webhook(receiver.url("/hook"), true, "project:*");
        db.update("CREATE FUNCTION tidings_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN IF NEW.response_excerpt = 'poison' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22023'; "
                + "END IF; RETURN NEW; END $$");
        db.update("CREATE TRIGGER tidings_test_refuse BEFORE INSERT ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION tidings_test_refuse()");
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < 3; i++) {
                    outbox.registerEvent(new ProjectEvent("project:created", Project.create(null, "Apollo", null, Instant.now())));
                }
            });
            WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 3, WAIT,
                    () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        } finally {
            db.update("DROP TRIGGER tidings_test_refuse ON delivery_attempts");
            db.update("DROP FUNCTION tidings_test_refuse()");
        }
        assertThat(receiver.requests("/hook")).as("sent once each").hasSize(3);
        assertThat(db.rows("SELECT response_excerpt, error FROM delivery_attempts WHERE response_excerpt IS NULL"))
                .singleElement().satisfies(attempt -> assertThat((String) attempt.get("error"))
                        .contains("could not be stored as it came (SQL state 22023)"));
        // counted once the bare outcome is written and its observers ran, a moment after its row shows delivered
        WebhookReceiver.await(() -> worker.refusedOutcomes() >= 1, WAIT, () -> "no refusal counted");
        assertThat(worker.refusedOutcomes()).isEqualTo(1);
        given().when().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("tidings_worker_outcomes_refused_total 1.0"));
    }

    @Test
    void a_disabled_webhooks_pending_deliveries_are_parked_until_it_is_enabled_again() {
        UUID webhook = db.webhook(receiver.url("/parked"), true, "project:*");
        db.update("UPDATE subscribers SET enabled = false, disabled_at = now() WHERE id = ?", webhook);
        db.update("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, 'project:created') ON CONFLICT DO NOTHING", webhook);
        record("project:created");
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("a disabled webhook gets no new rows").isZero();
        db.update("UPDATE subscribers SET enabled = true, disabled_at = NULL WHERE id = ?", webhook);
        db.update("UPDATE subscribers SET enabled = false, disabled_at = now() WHERE id = ?", webhook);
        // due an hour ago: counted as lag, it would fail the outbox check (tidings.health.max-lag is 5m)
        db.update("INSERT INTO deliveries (event_id, subscriber_id, payload, next_attempt_at) "
                + "SELECT id, ?, '{}', now() - interval '1 hour' FROM events", webhook);
        worker.wake();

        WorkerCycles.awaitFreshCycle(worker, clock);
        assertThat(receiver.requests("/parked")).as("parked, not sent").isEmpty();
        given().when().get("/q/health/well").then().statusCode(200);

        db.update("UPDATE subscribers SET enabled = true, disabled_at = NULL WHERE id = ?", webhook);
        worker.wake();
        receiver.awaitRequests("/parked", 1, WAIT);
    }

    private UUID record(String type) {
        return record(type, null);
    }

    private UUID record(String type, UUID tenant) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                new ProjectEvent(type, Project.create(tenant, "Apollo", "to the moon", Instant.now())))).getId();
    }

    private Map<String, Object> awaitDelivery(Predicate<Map<String, Object>> condition) {
        String sql = "SELECT id, status, attempts, next_attempt_at, last_error FROM deliveries";
        WebhookReceiver.await(() -> db.rows(sql).stream().anyMatch(condition), WAIT, () -> "deliveries: " + db.rows(sql));
        return db.rows(sql).stream().filter(condition).findFirst().orElseThrow();
    }

    private Duration waitAfterLastAttempt(Map<String, Object> delivery) {
        Timestamp attempted = (Timestamp) db.value(
                "SELECT max(attempted_at) FROM delivery_attempts WHERE delivery_id = ?", delivery.get("id"));
        return Duration.between(attempted.toInstant(), ((Timestamp) delivery.get("next_attempt_at")).toInstant());
    }
}
