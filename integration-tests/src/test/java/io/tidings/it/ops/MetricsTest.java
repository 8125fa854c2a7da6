package io.tidings.it.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;

@QuarkusTest
@TestProfile(WorkerProfile.class)
class MetricsTest extends ReceiverTest {

    @Inject
    Outbox outbox;

    @Test
    void counters_and_timers_move_as_deliveries_succeed_and_fail() {
        double registered = metric("tidings_events_registered_total\\{type=\"project:created\"}");
        double delivered = metric("tidings_deliveries_total\\{kind=\"webhook\",outcome=\"delivered\"}");
        double retried = metric("tidings_deliveries_total\\{kind=\"webhook\",outcome=\"retried\"}");
        receiver.replyWith(request -> request.path().equals("/fails") ? Reply.status(500) : Reply.status(204));
        db.webhook(receiver.url("/works"), true, "project:*"); // not webhook:*: the failing one's news would count too
        db.webhook(receiver.url("/fails"), true, "project:*");

        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create("Apollo", null, Instant.now()))));
        receiver.awaitRequests("/works", 1, Duration.ofSeconds(20));
        receiver.awaitRequests("/fails", 1, Duration.ofSeconds(20));

        WebhookReceiver.await(() -> metric("tidings_deliveries_total\\{kind=\"webhook\",outcome=\"retried\"}") == retried + 1,
                Duration.ofSeconds(20), () -> "the retried counter did not move");
        assertThat(metric("tidings_deliveries_total\\{kind=\"webhook\",outcome=\"delivered\"}")).isEqualTo(delivered + 1);
        assertThat(metric("tidings_events_registered_total\\{type=\"project:created\"}")).isEqualTo(registered + 1);
        assertThat(metric("tidings_delivery_attempt_seconds_count\\{kind=\"webhook\"}")).isGreaterThanOrEqualTo(2);
        assertThat(metric("tidings_delivery_lag_seconds_count\\{kind=\"webhook\"}")).isGreaterThanOrEqualTo(1);
        String scrape = scrape();
        assertThat(scrape).contains("tidings_outbox_pending{kind=\"webhook\"}", "tidings_outbox_oldest_due_seconds",
                "tidings_webhooks_disabled", "tidings_delivery_attempt_seconds_bucket");
        assertThat(scrape).as("no URLs or ids in tags").doesNotContain("127.0.0.1", "/works");
    }

    private static double metric(String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(scrape());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
