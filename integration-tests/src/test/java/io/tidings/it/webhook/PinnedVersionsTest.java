package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidings.example.Project;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.TenantReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * A webhook that pins an older version of a type ({@code project:renamed@1}) receives that version,
 * checked against its schema and labelled with it, while others receive the current one; a pin
 * wins over a wildcard of the same webhook, a pin the class no longer renders falls back to the
 * current payload, and the API refuses pins it could not honour, naming the field.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class PinnedVersionsTest extends TenantReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_pinned_webhook_receives_the_version_it_pins_and_the_others_the_current_one() throws Exception {
        UUID pinned = acme.webhook(receiver.url("/pinned"), "project:renamed@1");
        UUID current = acme.webhook(receiver.url("/current"), "project:*");
        UUID both = acme.webhook(receiver.url("/both"), "project:*", "project:renamed@1");

        UUID projectId = record("Apollo 2");

        JsonNode v1 = data(receiver.awaitRequests("/pinned", 1, WAIT).get(0), "1");
        assertThat(v1.path("project_id").asText()).isEqualTo(projectId.toString());
        assertThat(v1.path("name").asText()).isEqualTo("Apollo 2");
        assertThat(v1.has("project")).isFalse();
        JsonNode v2 = data(receiver.awaitRequests("/current", 1, WAIT).get(0), "2");
        assertThat(v2.path("project").path("id").asText()).isEqualTo(projectId.toString());
        assertThat(v2.has("project_id")).isFalse();
        assertThat(data(receiver.awaitRequests("/both", 1, WAIT).get(0), "1")).as("the pin wins over project:*").isEqualTo(v1);

        assertThat(db.rows("SELECT subscriber_id, schema_version FROM deliveries ORDER BY schema_version NULLS LAST"))
                .extracting(row -> row.get("subscriber_id") + "@" + row.get("schema_version"))
                .containsExactlyInAnyOrder(pinned + "@1", both + "@1", current + "@null");
        Thread.sleep(500);
        assertThat(receiver.requests("/both")).as("one message for one event, however many of its patterns match").hasSize(1);
    }

    @Test
    void a_pin_the_class_no_longer_renders_gets_the_current_payload() throws Exception {
        UUID webhook = acme.webhook(receiver.url("/stale"), "project:renamed@1");
        // as if the class had dropped v1 since: the route asks for a version the event was not rendered at
        db.update("UPDATE subscriber_routes SET schema_version = 7 WHERE subscriber_id = ?", webhook);

        record("Apollo 3");

        JsonNode data = data(receiver.awaitRequests("/stale", 1, WAIT).get(0), "2");
        assertThat(data.path("project").path("name").asText()).isEqualTo("Apollo 3");
        assertThat(db.value("SELECT schema_version FROM deliveries WHERE subscriber_id = ?", webhook)).isNull();
    }

    @Test
    void an_instance_of_the_build_before_pins_still_fans_out_during_a_rolling_upgrade() {
        acme.webhook(receiver.url("/old"), "project:renamed@1");
        record("Apollo 4");
        Object event = db.value("SELECT id FROM events ORDER BY recorded_at DESC LIMIT 1");
        db.update("DELETE FROM deliveries WHERE event_id = ?::uuid", event); // as if that instance had recorded it
        // its call, with the eight arguments it knew
        Object written = db.value("SELECT tidings_fan_out(ARRAY[?::uuid], ARRAY['project:renamed'], ARRAY[?::uuid], "
                + "ARRAY['{\"project\": {}}'], ARRAY[NULL], ARRAY[NULL], ARRAY[NULL], now())", event, acme.id());
        assertThat(((Number) written).intValue()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM deliveries WHERE event_id = ?::uuid AND schema_version IS NULL "
                + "AND payload = '{\"project\": {}}'::jsonb", event)).as("its payload, the event's own version").isEqualTo(1);
        acme.given().queryParam("type", "project:renamed@1").get("/api/events").then().statusCode(400)
                .body("field", equalTo("type"));
    }

    @Test
    void the_api_shows_the_versions_a_type_renders_and_the_webhooks_that_pin_a_deprecated_one() {
        acme.given().get("/api/event-types").then().statusCode(200)
                .body("find { it.name == 'project:renamed' }.versions", equalTo(List.of(1, 2)))
                .body("find { it.name == 'project:renamed' }.deprecatedVersions", equalTo(List.of(1)))
                .body("find { it.name == 'project:created' }.versions", equalTo(List.of(1)));
        UUID webhook = acme.webhook(receiver.url("/pinned"), "project:renamed@1", "project:created");
        String view = acme.given().get("/api/webhooks/" + webhook).then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(view).getList("eventTypes")).containsExactly("project:created", "project:renamed@1");
        assertThat(JsonPath.from(view).getList("deprecatedPins")).containsExactly("project:renamed@1");
        UUID unpinned = acme.webhook(receiver.url("/current"), "project:renamed");
        acme.given().get("/api/webhooks/" + unpinned).then().statusCode(200).body("deprecatedPins", equalTo(null));
    }

    @Test
    void pins_that_cannot_be_honoured_are_refused_naming_the_field() {
        refused(List.of("project:renamed@3"), "is not rendered at; it is rendered at 1, 2");
        refused(List.of("project:*@1"), "is not an event-type pattern");
        refused(List.of("project:renamed@1", "project:renamed@2"), "a second time");
        refused(List.of("project:nothing@1"), "matches no event type");
        Tenants.admin().body(Map.of("name", "pinned file", "kind", "file", "eventTypes", List.of("project:renamed@1"),
                "target", Map.of("directory", System.getProperty("java.io.tmpdir"))))
                .when().post("/api/sinks").then().statusCode(400).body("field", equalTo("eventTypes"))
                .body("error", containsString("only a webhook's subscriptions may"));
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE tenant_id = ?", acme.id())).isZero();
    }

    private void refused(List<String> eventTypes, String message) {
        acme.given().body(Map.of("url", receiver.url("/x"), "eventTypes", eventTypes)).when().post("/api/webhooks")
                .then().statusCode(400).body("field", equalTo("eventTypes")).body("error", containsString(message));
    }

    private UUID record(String name) {
        Project project = Project.create(acme.id(), name, null, Instant.now());
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(new RenamedProjectEvent(project)));
        return project.id;
    }

    private static JsonNode data(Request message, String version) throws Exception {
        assertThat(message.header("tidings-schema-version")).as("the version data is at").isEqualTo(version);
        assertThat(message.header("tidings-schema")).as("that version's schema")
                .isEqualTo("https://schemas.tidings.io/project/renamed/v" + version + "/notification.json");
        JsonNode body = JSON.readTree(message.body());
        assertThat(body.path("type").asText()).isEqualTo("project:renamed");
        return body.path("data");
    }
}
