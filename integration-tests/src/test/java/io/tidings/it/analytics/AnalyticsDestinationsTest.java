package io.tidings.it.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.example.TestEvents;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

/** More than one telemetry destination, each with its own allow list and format, all named on /collected. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class AnalyticsDestinationsTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Outbox outbox;

    @Test
    void each_destination_gets_the_types_it_allows_in_its_format_and_the_page_names_them_all() throws Exception {
        addDestination("Product analytics", "{\"url\":\"" + receiver.url("/everything") + "\"}", "[\"project:*\"]", null);
        addDestination("Reliability board", "{\"url\":\"" + receiver.url("/jobs") + "\",\"format\":\"posthog\"}",
                "[\"project:job:*\"]", "phc_test_key");
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(List.of(TestEvents.of("project:created", "Apollo"),
                TestEvents.of("project:job:created", "Apollo"))));

        List<WebhookReceiver.Request> everything = receiver.awaitRequests("/everything", 1, WAIT);
        List<WebhookReceiver.Request> jobs = receiver.awaitRequests("/jobs", 1, WAIT);

        assertThat(JSON.readTree(everything.get(0).body()).path("batch")).extracting(capsule -> capsule.path("event").asText())
                .containsExactlyInAnyOrder("project:created", "project:job:created");
        JsonNode posthog = JSON.readTree(jobs.get(0).body());
        assertThat(posthog.path("api_key").asText()).isEqualTo("phc_test_key");
        assertThat(posthog.path("batch")).extracting(event -> event.path("event").asText()).containsExactly("project:job:created");
        assertThat(everything.get(0).body() + jobs.get(0).body()).doesNotContain("Apollo", "build");
        given().get("/collected").then().statusCode(200)
                .body(containsString("Analytics is <strong>on</strong>"))
                .body(containsString("<strong>Product analytics</strong> (analytics), for event types project:*"))
                .body(containsString("<strong>Reliability board</strong> (analytics), for event types project:job:*"));
        given().header("authorization", "Bearer " + Tenants.adminKey()).get("/api/sinks").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("phc_test_key")));
    }

    private void addDestination(String name, String target, String eventTypes, String secret) {
        given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body("{\"name\":\"" + name + "\",\"kind\":\"analytics\",\"payload\":\"telemetry\",\"target\":" + target
                        + ",\"eventTypes\":" + eventTypes + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + "}")
                .post("/api/sinks").then().statusCode(201);
    }
}
