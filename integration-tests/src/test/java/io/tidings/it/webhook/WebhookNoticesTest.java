package io.tidings.it.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.CollectingSender;
import io.tidings.it.support.NoticeObserver;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants.Tenant;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WorkerCycles;
import io.tidings.outbox.Outbox;
import io.tidings.webhook.WebhookFailing;
import io.tidings.webhook.WebhookRecovered;

/**
 * What happens to a failing webhook is told, once each and in order, to the tenant's webhooks that
 * take webhook:*, to the operator's subscriber of every tenant, and to the host application's
 * observers.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class WebhookNoticesTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Outbox outbox;
    @Inject
    NoticeObserver observer;
    @Inject
    CollectingSender operator;

    @Inject
    io.tidings.delivery.internal.DeliveryWorker worker;

    private Tenant acme;
    private UUID operatorSink;

    @BeforeEach
    void tenantAndOperator() {
        acme = Tenants.create("Acme");
        observer.clear();
        operatorSink = UUID.fromString(given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body(Map.of("name", "ops", "kind", CollectingSender.KIND, "ordered", true, "eventTypes", List.of("webhook:*"),
                        "target", Map.of("bucket", "ops")))
                .post("/api/sinks").then().statusCode(201).extract().path("id"));
    }

    @Test
    void a_webhook_that_fails_until_it_is_disabled_is_told_of_in_order_everywhere() {
        receiver.replyWith(request -> request.path().equals("/gone") ? Reply.status(410) : Reply.status(204));
        UUID gone = webhook("/gone", false, "project:*");
        webhook("/watcher", true, "webhook:*");

        for (int i = 0; i < 3; i++) {
            record("project:created");
        }

        List<String> expected = List.of("webhook:failing", "webhook:exhausted", "webhook:exhausted", "webhook:exhausted",
                "webhook:disabled");
        assertThat(types(receiver.awaitRequests("/watcher", 5, WAIT))).isEqualTo(expected);
        WebhookReceiver.await(() -> observer.seen().size() >= 5, WAIT, () -> "observed: " + observer.seen());
        assertThat(observer.seen()).extracting(notice -> notice.getClass().getSimpleName())
                .containsExactly("WebhookFailing", "WebhookExhausted", "WebhookExhausted", "WebhookExhausted", "WebhookDisabled");
        assertThat(observer.seen()).allSatisfy(notice -> {
            assertThat(notice.webhookId()).isEqualTo(gone);
            assertThat(notice.tenantId()).isEqualTo(acme.id());
        });
        WebhookReceiver.await(() -> operatorSaw().size() >= 5, WAIT, () -> "the operator saw " + operatorSaw());
        assertThat(operatorSaw()).isEqualTo(expected);

        WorkerCycles.awaitFreshCycle(worker, clock);
        assertThat(receiver.requests("/watcher")).as("each once").hasSize(5);
        assertThat(observer.seen()).hasSize(5);
    }

    @Test
    void a_failing_webhook_that_delivers_again_is_told_of_as_recovered() {
        receiver.replyWith(request -> request.path().equals("/flaky") && request.number() == 1 ? Reply.status(500) : Reply.status(204));
        UUID flaky = webhook("/flaky", false, "project:*");
        webhook("/watcher", true, "webhook:*");

        record("project:created");
        receiver.awaitRequests("/flaky", 1, WAIT);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 1") == 1,
                WAIT, () -> "no retry scheduled");
        clock.advance(Duration.ofSeconds(6));

        assertThat(types(receiver.awaitRequests("/watcher", 2, WAIT))).containsExactly("webhook:failing", "webhook:recovered");
        WebhookReceiver.await(() -> observer.seen().size() >= 2, WAIT, () -> "observed: " + observer.seen());
        assertThat(observer.seen()).containsExactly(new WebhookFailing(flaky, acme.id(), "its deliveries fail: HTTP 500"),
                new WebhookRecovered(flaky, acme.id(), null));
    }

    private UUID webhook(String path, boolean ordered, String... eventTypes) {
        return UUID.fromString(acme.given().body(Map.of("url", receiver.url(path), "eventTypes", List.of(eventTypes), "ordered", ordered))
                .when().post("/api/webhooks").then().statusCode(201).extract().path("id"));
    }

    private void record(String type) {
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent(type, Project.create(acme.id(), "Apollo", null, Instant.now()))));
    }

    private List<String> operatorSaw() {
        return operator.received().stream().filter(delivery -> delivery.subscriberId().equals(operatorSink))
                .map(delivery -> delivery.eventType()).toList();
    }

    private static List<String> types(List<WebhookReceiver.Request> requests) {
        return requests.stream().map(request -> {
            try {
                JsonNode body = JSON.readTree(request.body());
                return body.path("type").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
