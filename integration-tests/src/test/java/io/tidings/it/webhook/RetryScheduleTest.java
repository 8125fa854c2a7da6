package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.TenantReceiverTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;

/**
 * A webhook's own retry schedule replaces the installation's (here 5 s, then 5 min) for its
 * deliveries alone, within the bounds the operator sets; the API refuses a step outside them,
 * naming it.
 */
@QuarkusTest
@TestProfile(RetryScheduleTest.ShortSteps.class)
class RetryScheduleTest extends TenantReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class ShortSteps extends WorkerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return workerWith(Map.of("tidings.webhooks.retry-step-min", "1s", "tidings.webhooks.retry-step-max", "1h",
                    "tidings.webhooks.retry-steps-max", "3", "tidings.delivery.retry-jitter", "0"));
        }
    }

    @Test
    void a_webhook_s_own_schedule_decides_its_retries_and_when_it_goes_dead() {
        receiver.replyWith(request -> Reply.status(503));
        UUID own = webhook(List.of("1s", "1s"));
        acme.given().get("/api/webhooks/" + own).then().statusCode(200).body("retrySchedule", equalTo(List.of("1s", "1s")));

        recordProjectCreated(1);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'dead'", own) == 1,
                WAIT, () -> "deliveries: " + db.rows("SELECT status, attempts, next_attempt_at FROM deliveries"));
        assertThat(receiver.requests("/hook")).as("three attempts: the first and two retries a second apart").hasSize(3);
        Duration between = Duration.between(receiver.requests("/hook").get(0).receivedAt(), receiver.requests("/hook").get(2).receivedAt());
        assertThat(between).as("the installation's schedule would wait 5 s, then 5 min").isLessThan(Duration.ofSeconds(5));

        acme.given().body(Map.of("retrySchedule", List.of())).when().patch("/api/webhooks/" + own).then().statusCode(200)
                .body("retrySchedule", equalTo(null));
    }

    @Test
    void steps_outside_the_operator_s_bounds_are_refused_naming_them() {
        refused(List.of("500ms"), "retrySchedule[0]");
        refused(List.of("1s", "0s"), "retrySchedule[1]");
        refused(List.of("2h"), "retrySchedule[0]");
        refused(List.of("soon"), "retrySchedule[0]");
        refused(Collections.nCopies(4, "1m"), "retrySchedule");
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE tenant_id = ?", acme.id())).isZero();
    }

    private void refused(List<String> schedule, String field) {
        acme.given().body(body(schedule)).when().post("/api/webhooks").then().statusCode(400).body("field", equalTo(field));
    }

    private UUID webhook(List<String> schedule) {
        return UUID.fromString(acme.given().body(body(schedule)).when().post("/api/webhooks").then().statusCode(201)
                .extract().path("id"));
    }

    private Map<String, Object> body(List<String> schedule) {
        return Map.of("url", receiver.url("/hook"), "eventTypes", List.of("project:created"), "retrySchedule", schedule);
    }
}
