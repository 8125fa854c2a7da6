package io.tidings.it.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.example.TestEvents;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;
import io.tidings.analytics.internal.AnalyticsSubscriber;
import io.tidings.analytics.internal.EventSchemas;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.analytics.internal.Installation;

@QuarkusTest
@TestProfile(AnalyticsTest.AnalyticsOn.class)
class AnalyticsTest extends ReceiverTest {

    /** The worker profile with analytics on; each test points the analytics row at its own receiver. */
    public static class AnalyticsOn extends WorkerProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return workerWith(Map.of("tidings.analytics.enabled", "true", "tidings.analytics.endpoint", "http://127.0.0.1:9/unused",
                    "tidings.analytics.private-metadata-types", "project:*"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Installation installation;
    @Inject
    EventSchemas schemas;
    @Inject
    EventTypeRegistry types;
    @Inject
    io.tidings.outbox.Outbox outbox;

    @BeforeEach
    void setUp() {
        db.update("UPDATE subscribers SET enabled = true, target = jsonb_build_object('url', ?::text) WHERE id = ?",
                receiver.url("/batch"), AnalyticsSubscriber.ID);
    }

    @Test
    void batches_carry_schema_valid_capsules_with_no_name_email_or_raw_id() throws Exception {
        String project = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Apollo Secret", "description", "contact ada@example.com"))
                .when().post("/api/projects").then().statusCode(201).extract().path("id");
        String job = given().contentType(ContentType.JSON).body(Map.of("name", "nightly build of Lovelace"))
                .when().post("/api/projects/" + project + "/jobs").then().statusCode(201).extract().path("id");
        String run = given().contentType(ContentType.JSON).body(Map.of("stepsCount", 5))
                .when().post("/api/jobs/" + job + "/runs").then().statusCode(201).extract().path("id");

        List<JsonNode> capsules = awaitCapsules(3);

        String bytes = String.join("\n", receiver.requests("/batch").stream().map(Request::body).toList());
        // Names chosen so that no hex pseudonym can contain them by chance ("ada" once did).
        assertThat(bytes).doesNotContain("Apollo Secret", "ada@example.com", "Lovelace", project, job, run);
        List<Object> deliveryIds = db.rows("SELECT id::text AS id FROM deliveries").stream().map(r -> r.get("id")).toList();
        for (JsonNode capsule : capsules) {
            var type = types.require(capsule.path("event").asText());
            JsonNode schema = schemas.document(type, Kind.TELEMETRY).orElseThrow();
            assertThat(capsule.path("schema").asText()).isEqualTo(schema.path("$id").asText());
            assertThat(capsule.path("schema_version").asInt()).isEqualTo(1);
            assertThat(capsule.path("instance_id").asText()).isEqualTo(installation.id().toString());
            assertThat(deliveryIds).contains(capsule.path("insert_id").asText());
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema)
                    .validate(capsule.path("properties"))).as(capsule.toString()).isEmpty();
        }
        assertThat(capsules).extracting(c -> c.path("event").asText())
                .containsExactlyInAnyOrder("project:created", "project:job:created", "project:job:pipeline_run:created");
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 3, WAIT,
                () -> "not delivered");
    }

    @Test
    void a_retried_batch_keeps_its_insert_ids() throws Exception {
        receiver.replyWith(request -> request.number() == 1 ? Reply.status(503) : Reply.status(204));
        createProject("Apollo");
        List<JsonNode> first = awaitCapsules(1);
        // Move the clock only once the retry is scheduled, or the retry would be scheduled after the jump.
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 1") == 1,
                WAIT, () -> "no retry scheduled");

        clock.advance(Duration.ofSeconds(6));
        receiver.awaitRequests("/batch", 2, WAIT);

        JsonNode second = JSON.readTree(receiver.requests("/batch").get(1).body()).path("batch").get(0);
        assertThat(second.path("insert_id").asText()).isEqualTo(first.get(0).path("insert_id").asText());
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 1, WAIT,
                () -> "not delivered");
    }

    @Test
    void what_was_rendered_at_v1_leaves_labelled_v1_after_its_type_moved_on() throws Exception {
        receiver.replyWith(request -> request.number() == 1 ? Reply.status(503) : Reply.status(204));
        createProject("Apollo");
        awaitCapsules(1);
        assertThat(db.value("SELECT schema_version FROM events")).isEqualTo(1);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts = 1") == 1,
                WAIT, () -> "no retry scheduled");
        try {
            moveTo(2); // the type's schemas move on while the delivery waits for its retry
            clock.advance(Duration.ofSeconds(6));
            receiver.awaitRequests("/batch", 2, WAIT);

            JsonNode retried = JSON.readTree(receiver.requests("/batch").get(1).body()).path("batch").get(0);
            assertThat(retried.path("schema_version").asInt()).isEqualTo(1);
            assertThat(retried.path("schema").asText()).endsWith("/project/created/v1/telemetry.json");
        } finally {
            moveTo(1);
        }
    }

    private void moveTo(int version) throws Exception {
        db.update("UPDATE event_types SET schema_version = ? WHERE name = 'project:created'", version);
        java.lang.reflect.Method reload = EventTypeRegistry.class.getDeclaredMethod("reload"); // what the start does after declaring
        reload.setAccessible(true);
        reload.invoke(types);
    }

    @Test
    void a_4xx_naming_a_rejected_capsule_dead_letters_it_and_the_rest_are_delivered() throws Exception {
        receiver.replyWith(request -> {
            if (request.number() > 1) {
                return Reply.status(200);
            }
            String rejected = capsulesOf(request).get(0).path("insert_id").asText();
            return Reply.status(400).withBody("{\"rejected\":[{\"insert_id\":\"" + rejected + "\",\"reason\":\"unknown property\"}]}");
        });
        createProject("A");
        createProject("B");
        String rejected = capsulesOf(receiver.awaitRequests("/batch", 1, WAIT).get(0)).get(0).path("insert_id").asText();

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'dead'") == 1, WAIT,
                () -> "nothing dead-lettered");
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'dead' OR attempts = 1") == 2, WAIT,
                () -> "the other capsule was not tried yet");
        clock.advance(Duration.ofSeconds(6));
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 1, WAIT,
                () -> "the other capsule was not delivered");

        assertThat(db.value("SELECT id::text FROM deliveries WHERE status = 'dead'")).isEqualTo(rejected);
        assertThat((String) db.value("SELECT last_error FROM deliveries WHERE status = 'dead'")).contains("unknown property");
        List<Request> later = receiver.requests("/batch").subList(1, receiver.requests("/batch").size());
        assertThat(later).flatExtracting(AnalyticsTest::capsulesOf).extracting(c -> c.path("insert_id").asText())
                .doesNotContain(rejected);
    }

    @Test
    void private_metadata_reaches_only_the_webhook_granted_it() {
        Tenants.Tenant acme = Tenants.create("Acme");
        UUID granted = acme.webhook(receiver.url("/granted"), "project:*");
        UUID other = acme.webhook(receiver.url("/other"), "project:*");
        acme.given().body(Map.of("granted", true))
                .when().put("/api/tenants/" + acme.id() + "/webhooks/" + granted + "/private-metadata")
                .then().statusCode(403);
        Tenants.admin().body(Map.of("granted", true))
                .when().put("/api/tenants/" + acme.id() + "/webhooks/" + granted + "/private-metadata")
                .then().statusCode(200).body("receivesPrivateMetadata", org.hamcrest.Matchers.equalTo(true));

        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(TestEvents.of("project:created", acme.id(), "Apollo")
                .withPrivateMetadata(JSON.createObjectNode().put("transcript", "the secret words"))));

        assertThat(receiver.awaitRequests("/granted", 1, WAIT).get(0).body()).contains("\"private_metadata\"", "the secret words");
        assertThat(receiver.awaitRequests("/other", 1, WAIT).get(0).body()).doesNotContain("secret words", "private_metadata");
        awaitCapsules(1);
        assertThat(receiver.requests("/batch")).extracting(Request::body).noneMatch(body -> body.contains("secret words"));
        assertThat(db.value("SELECT private_metadata::text FROM events")).asString().contains("the secret words");
        assertThat(db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND payload -> 'private_metadata' IS NOT NULL", other))
                .isZero();
    }

    @Test
    void a_revoked_grant_takes_private_metadata_out_of_retries_and_a_new_url_loses_the_grant() {
        Tenants.Tenant acme = Tenants.create("Acme");
        UUID webhook = acme.webhook(receiver.url("/granted"), "project:*");
        grant(acme, webhook, true);
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(TestEvents.of("project:created", acme.id(), "Apollo")
                .withPrivateMetadata(JSON.createObjectNode().put("transcript", "the secret words"))));
        assertThat(receiver.awaitRequests("/granted", 1, WAIT).get(0).body()).contains("the secret words");
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'delivered'",
                webhook) == 1, WAIT, () -> "the first delivery is recorded");

        grant(acme, webhook, false);
        UUID delivery = (UUID) db.value("SELECT id FROM deliveries WHERE subscriber_id = ?", webhook);
        acme.given().when().post("/api/deliveries/" + delivery + "/retry").then().statusCode(202);
        assertThat(receiver.awaitRequests("/granted", 2, WAIT).get(1).body()).contains("Apollo")
                .doesNotContain("secret words", "private_metadata");

        grant(acme, webhook, true);
        acme.given().body(Map.of("url", receiver.url("/elsewhere"))).when().patch("/api/webhooks/" + webhook)
                .then().statusCode(200).body("receivesPrivateMetadata", org.hamcrest.Matchers.equalTo(false));
    }

    private static void grant(Tenants.Tenant tenant, UUID webhook, boolean granted) {
        Tenants.admin().body(Map.of("granted", granted))
                .when().put("/api/tenants/" + tenant.id() + "/webhooks/" + webhook + "/private-metadata")
                .then().statusCode(200).body("receivesPrivateMetadata", org.hamcrest.Matchers.equalTo(granted));
    }

    @Test
    void the_relay_records_client_events_through_the_outbox_and_they_are_exported() {
        given().contentType(ContentType.JSON)
                .body("[{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"webhooks\"},\"load_ms\":120}}]")
                .when().post("/api/analytics").then().statusCode(202).body("accepted", org.hamcrest.Matchers.equalTo(1));

        JsonNode capsule = awaitCapsules(1).get(0);
        assertThat(capsule.path("event").asText()).isEqualTo("client:screen_viewed");
        assertThat(capsule.at("/properties/screen/name").asText()).isEqualTo("webhooks");
    }

    @Test
    void the_relay_refuses_unknown_and_non_client_types_and_malformed_bodies() {
        relay("{\"event\":\"client:clicked_everything\",\"properties\":{}}").statusCode(400).body("field", org.hamcrest.Matchers.equalTo("event"));
        relay("{\"event\":\"project:created\",\"properties\":{}}").statusCode(400).body("field", org.hamcrest.Matchers.equalTo("event"));
        relay("{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"/users/ada\"}}}")
                .statusCode(400).body("field", org.hamcrest.Matchers.equalTo("properties"))
                .body("error", org.hamcrest.Matchers.containsString("$.screen.name"));
        relay("{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"job\"},\"email\":\"ada@example.com\"}}")
                .statusCode(400).body("field", org.hamcrest.Matchers.equalTo("properties"));
        relay("{\"event\":\"client:screen_viewed\",\"properties\":\"nope\"}").statusCode(400);
        relay("{\"event\": ").statusCode(400);
        relay("[]").statusCode(400);
        relay("[" + String.join(",", java.util.Collections.nCopies(51, "{\"event\":\"client:screen_viewed\"}")) + "]").statusCode(400);
        assertThat(db.count("SELECT count(*) FROM events")).isZero();
    }

    // No proxy is trusted here: a forwarded address of the client's choosing is no new client.
    @Test
    void the_relay_limits_each_client_address_whatever_it_says_it_forwards() {
        String fifty = "[" + String.join(",", java.util.Collections.nCopies(50,
                "{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"projects\"}}}")) + "]";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3 && !statuses.contains(429); i++) {
            statuses.add(given().header("X-Forwarded-For", "198.51.100." + i).header("Forwarded", "for=198.51.100." + i)
                    .contentType(ContentType.JSON).body(fifty).when().post("/api/analytics").then().extract().statusCode());
        }
        assertThat(statuses).contains(429);
    }

    private static io.restassured.response.ValidatableResponse relay(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/analytics").then();
    }

    private void createProject(String name) {
        given().contentType(ContentType.JSON).body(Map.of("name", name)).when().post("/api/projects").then().statusCode(201);
    }

    private List<JsonNode> awaitCapsules(int count) {
        WebhookReceiver.await(() -> capsules().size() >= count, WAIT, () -> "capsules: " + capsules().size());
        return capsules();
    }

    // Every capsule received, once each: a retried one comes again with the same insert_id.
    private List<JsonNode> capsules() {
        Map<String, JsonNode> byInsertId = new java.util.LinkedHashMap<>();
        receiver.requests("/batch").forEach(request -> capsulesOf(request)
                .forEach(capsule -> byInsertId.putIfAbsent(capsule.path("insert_id").asText(), capsule)));
        return new ArrayList<>(byInsertId.values());
    }

    private static List<JsonNode> capsulesOf(Request request) {
        try {
            List<JsonNode> capsules = new ArrayList<>();
            JSON.readTree(request.body()).path("batch").forEach(capsules::add);
            return capsules;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
