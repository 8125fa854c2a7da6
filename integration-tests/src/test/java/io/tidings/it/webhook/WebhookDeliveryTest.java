package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.DeliveryWorker;
import io.tidings.delivery.internal.Outcome;
import io.tidings.delivery.internal.RetryPolicy;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;
import io.tidings.it.support.TricklingReceiver;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;
import io.tidings.it.support.WorkerCycles;
import io.tidings.webhook.internal.AutoDisable;
import io.tidings.webhook.internal.WebhookSender;
import io.tidings.webhook.internal.WebhookSignature;

@QuarkusTest
@TestProfile(WorkerProfile.class)
class WebhookDeliveryTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;
    @Inject
    DeliveryWorker worker;
    @Inject
    AutoDisable autoDisable;

    Tenant acme;

    @BeforeEach
    void setUp() {
        acme = Tenants.create("Acme");
    }

    @Test
    void the_reference_verifier_accepts_a_live_request_and_refuses_a_tampered_one() throws Exception {
        String secret = create("/hook", "project:*");
        record("project:created");

        Request request = receiver.awaitRequests("/hook", 1, WAIT).get(0);

        new Webhook(secret).verify(request.body(), headers(request));
        assertThatThrownBy(() -> new Webhook(secret).verify(request.body().replace("Apollo", "Apollo 13"), headers(request)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSignature.newSecret()).verify(request.body(), headers(request)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void whatever_bytes_a_receiver_answers_every_delivery_is_marked_delivered_and_sent_once() {
        create("/hostile", "*");
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        List<byte[]> answers = List.of("ok\0with a NUL".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, 0x28, 0, (byte) 0xFF, (byte) 0xFE}, binary);
        receiver.replyWith(request -> Reply.status(200).withBytes(answers.get((request.number() - 1) % answers.size())));

        for (int i = 0; i < 5; i++) {
            record("project:created");
        }

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 5, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        assertThat(receiver.requests("/hostile")).as("each sent once").hasSize(5);
        assertThat(db.count("SELECT count(*) FROM delivery_attempts WHERE strpos(response_excerpt, U&'\\FFFD') > 0"))
                .as("NULs and invalid bytes stored replaced").isEqualTo(5);
    }

    @Test
    void headers_or_a_body_that_trickle_in_forever_time_out_and_hold_up_no_other_webhook() throws Exception {
        try (TricklingReceiver headers = new TricklingReceiver(TricklingReceiver.Mode.HEADERS);
                TricklingReceiver body = new TricklingReceiver(TricklingReceiver.Mode.BODY)) {
            createAt(headers.url("/slow-headers"), "*");
            createAt(body.url("/endless-body"), "*");
            create("/healthy", "*");

            for (int i = 0; i < 3; i++) {
                record("project:created");
            }

            receiver.awaitRequests("/healthy", 3, WAIT);
            WebhookReceiver.await(() -> db.count("SELECT count(*) FROM delivery_attempts WHERE error LIKE 'timed out after%'") >= 6,
                    WAIT, () -> "attempts: " + db.rows("SELECT status_code, error FROM delivery_attempts"));
            assertThat(headers.accepted.get()).isPositive();
            assertThat(body.accepted.get()).isPositive();
        }
    }

    @Inject
    io.tidings.secrets.internal.WebhookSecrets secrets;

    @Test
    void after_a_rotation_messages_carry_both_signatures_and_each_secret_verifies() throws Exception {
        String old = create("/hook", "*");
        UUID id = onlyWebhook();
        String rotated = acme.given().when().post("/api/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                .extract().path("secret");
        record("project:created");

        Request request = receiver.awaitRequests("/hook", 1, WAIT).get(0);

        assertThat(request.signature().split(" ")).hasSize(2);
        new Webhook(rotated).verify(request.body(), headers(request));
        new Webhook(old).verify(request.body(), headers(request));
    }

    // A second rotation inside the overlap keeps the first secret too: a receiver may not have
    // switched from it yet. Once its overlap has passed, it is cleared from the database.
    @Test
    void two_rotations_inside_the_overlap_sign_with_all_three_until_the_oldest_expires() throws Exception {
        String first = create("/hook", "*");
        UUID id = onlyWebhook();
        String second = rotate(id);
        String third = rotate(id);
        record("project:created");
        Request request = receiver.awaitRequests("/hook", 1, WAIT).get(0);
        assertThat(request.signature().split(" ")).hasSize(3);
        for (String secret : List.of(first, second, third)) {
            new Webhook(secret).verify(request.body(), headers(request));
        }

        db.update("UPDATE subscribers SET previous_secrets = jsonb_set(previous_secrets, '{1,expires_at}', '\"2020-01-01T00:00:00Z\"') "
                + "WHERE id = ?", id);
        assertThat(secrets.clearExpired()).isEqualTo(1);
        assertThat(db.count("SELECT jsonb_array_length(previous_secrets) FROM subscribers WHERE id = ?", id)).isEqualTo(1);
    }

    // An altered secret in the database: that webhook's delivery is never sent unsigned, and the
    // deliveries claimed with it in one batch go out regardless.
    @Test
    void a_secret_that_does_not_open_holds_back_its_own_delivery_only() {
        create("/altered", "*");
        UUID altered = onlyWebhook();
        db.update("UPDATE subscribers SET secret = 'v1:00000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE id = ?", altered);
        create("/sound", "*");
        record("project:created");

        assertThat(receiver.awaitRequests("/sound", 1, WAIT).get(0).signature()).isNotBlank();
        WorkerCycles.awaitFreshCycle(worker, clock);
        assertThat(receiver.requests("/altered")).isEmpty();
    }

    private String rotate(UUID webhook) {
        return acme.given().when().post("/api/webhooks/" + webhook + "/rotate-secret").then().statusCode(200).extract().path("secret");
    }

    @Test
    void a_test_message_arrives_at_that_webhook() {
        create("/hook", "project:created");

        acme.given().when().post("/api/webhooks/" + onlyWebhook() + "/test").then().statusCode(202);

        assertThat(receiver.awaitRequests("/hook", 1, WAIT).get(0).body()).contains("\"type\":\"webhook:test\"");
    }

    @Test
    void a_webhook_s_health_shows_its_last_success_and_since_when_every_delivery_fails() {
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(true);
        receiver.replyWith(request -> Reply.status(up.get() ? 204 : 503));
        create("/health", "*");
        UUID id = onlyWebhook();
        record("project:created");
        receiver.awaitRequests("/health", 1, WAIT);
        WebhookReceiver.await(() -> db.value("SELECT last_success_at FROM subscribers WHERE id = ?", id) != null, WAIT,
                () -> "no last success written");
        acme.given().when().get("/api/webhooks/" + id).then()
                .body("lastSuccessAt", org.hamcrest.Matchers.notNullValue()).body("failingSince", org.hamcrest.Matchers.nullValue());

        up.set(false);
        record("project:updated");
        receiver.awaitRequests("/health", 2, WAIT);
        WebhookReceiver.await(() -> db.value("SELECT failing_since FROM subscribers WHERE id = ?", id) != null, WAIT,
                () -> "no failure written");
        acme.given().when().get("/api/webhooks/" + id).then()
                .body("lastSuccessAt", org.hamcrest.Matchers.notNullValue()).body("failingSince", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void dead_deliveries_in_a_row_disable_the_webhook_record_webhook_disabled_and_re_enabling_resumes() {
        receiver.replyWith(request -> request.path().equals("/gone") ? Reply.status(410) : Reply.status(204));
        create("/gone", "project:*");
        UUID failing = onlyWebhook();
        create("/watcher", "webhook:*");

        for (int i = 0; i < 3; i++) {
            record("project:created");
        }

        // failing, three deliveries exhausted, then disabled (WebhookNoticesTest follows them all)
        Request notice = receiver.awaitRequests("/watcher", 5, WAIT).stream()
                .filter(request -> request.body().contains("\"type\":\"webhook:disabled\"")).findFirst().orElseThrow();
        assertThat(notice.body()).contains(failing.toString(), "3 deliveries in a row were dead");
        acme.given().when().get("/api/webhooks/" + failing).then()
                .body("enabled", equalTo(false)).body("disabledReason", equalTo("3 deliveries in a row were dead"));

        record("project:updated");
        WorkerCycles.awaitFreshCycle(worker, clock);
        assertThat(receiver.requests("/gone")).as("nothing new for a disabled webhook").hasSize(3);

        receiver.replyWith(request -> Reply.status(204));
        acme.given().body(Map.of("enabled", true)).when().patch("/api/webhooks/" + failing).then().statusCode(200);
        record("project:deleted");
        assertThat(receiver.awaitRequests("/gone", 4, WAIT).get(3).body()).contains("project:deleted");
    }

    @Test
    void failing_for_longer_than_disable_after_disables_the_webhook() {
        receiver.replyWith(request -> Reply.status(500));
        create("/broken", "*");
        UUID id = onlyWebhook();
        record("project:created");
        receiver.awaitRequests("/broken", 1, WAIT);
        awaitRetryScheduled();

        clock.advance(Duration.ofDays(6));
        receiver.awaitRequests("/broken", 2, WAIT);

        WebhookReceiver.await(() -> !(Boolean) db.value("SELECT enabled FROM subscribers WHERE id = ?", id), WAIT,
                () -> "still enabled");
        acme.given().when().get("/api/webhooks/" + id).then().body("disabledReason", startsWith("every delivery has failed since"));
        assertThat(db.count("SELECT count(*) FROM events WHERE type = 'webhook:disabled' AND tenant_id = ?", acme.id())).isEqualTo(1);
    }

    @Test
    void a_failure_is_judged_at_its_own_time_not_when_its_outcome_is_written() throws Exception {
        create("/broken", "*");
        UUID id = onlyWebhook();
        Instant failedAt = clock.instant();
        clock.advance(Duration.ofDays(6)); // the outcome waited to be written; the clock moved on meanwhile

        autoDisable.recorded(List.of(failure(id, failedAt)));
        assertThat((Boolean) db.value("SELECT enabled FROM subscribers WHERE id = ?", id)).isTrue();

        autoDisable.recorded(List.of(failure(id, clock.instant())));
        assertThat((Boolean) db.value("SELECT enabled FROM subscribers WHERE id = ?", id)).isFalse();
    }

    private static Outcome failure(UUID webhook, Instant at) {
        ClaimedDelivery delivery = new ClaimedDelivery(UUID.randomUUID(), UUID.randomUUID(), webhook, WebhookSender.KIND,
                JsonNodeFactory.instance.objectNode().put("url", "http://127.0.0.1/broken"), "project:created", at, 1, "{}", List.of(), at);
        return new Outcome(delivery, AttemptResult.failed(at, Duration.ofMillis(3), "HTTP 500").withAnswer(500, null),
                new RetryPolicy.Decision(DeliveryStatus.PENDING, at.plusSeconds(5), "HTTP 500"));
    }

    @Test
    void a_disabled_webhooks_pending_deliveries_wait_and_go_out_when_it_is_enabled_again() {
        receiver.replyWith(request -> request.number() == 1 ? Reply.status(500) : Reply.status(204));
        create("/hook", "project:*"); // not webhook:*, which would bring it news of its own failure
        UUID id = onlyWebhook();
        record("project:created");
        receiver.awaitRequests("/hook", 1, WAIT);
        awaitRetryScheduled();

        acme.given().body(Map.of("enabled", false)).when().patch("/api/webhooks/" + id).then().statusCode(200);
        clock.advance(Duration.ofSeconds(10));
        WorkerCycles.awaitFreshCycle(worker, clock);
        assertThat(receiver.requests("/hook")).hasSize(1);

        acme.given().body(Map.of("enabled", true)).when().patch("/api/webhooks/" + id).then().statusCode(200);
        receiver.awaitRequests("/hook", 2, WAIT);
    }

    // The receiver has the request before the worker has decided when to retry; moving the clock
    // before that decision would put the retry after the jump.
    private void awaitRetryScheduled() {
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 1") == 1,
                WAIT, () -> "no retry scheduled");
    }

    private String create(String path, String... eventTypes) {
        return acme.given().body(Map.of("url", receiver.url(path), "eventTypes", List.of(eventTypes)))
                .when().post("/api/webhooks").then().statusCode(201).extract().path("secret");
    }

    private void createAt(String url, String... eventTypes) {
        acme.given().body(Map.of("url", url, "eventTypes", List.of(eventTypes))).when().post("/api/webhooks").then().statusCode(201);
    }

    private UUID onlyWebhook() {
        return (UUID) db.value("SELECT id FROM subscribers WHERE tenant_id = ? ORDER BY id LIMIT 1", acme.id());
    }

    private void record(String type) {
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent(type, Project.create(acme.id(), "Apollo", null, Instant.now()))));
    }

    private static Map<String, List<String>> headers(Request request) {
        return Map.of("webhook-id", List.of(request.webhookId()), "webhook-timestamp", List.of(request.webhookTimestamp()),
                "webhook-signature", List.of(request.signature()));
    }
}
