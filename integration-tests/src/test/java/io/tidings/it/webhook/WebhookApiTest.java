package io.tidings.it.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;

@QuarkusTest
class WebhookApiTest extends EmptyDatabaseTest {

    private static final String URL = "http://127.0.0.1:9/hook";

    @Inject
    Outbox outbox;

    Tenant acme;
    Tenant globex;

    @BeforeEach
    void setUp() {
        acme = Tenants.create("Acme");
        globex = Tenants.create("Globex");
    }

    @Test
    void create_answers_the_webhook_with_its_secret_once() {
        String secret = acme.given()
                .body(Map.of("url", URL, "eventTypes", List.of("project:*", "project:job:failed"), "description", "ops"))
                .when().post("/api/webhooks")
                .then().statusCode(201)
                .header("Location", containsString("/api/webhooks/"))
                .body("url", equalTo(URL))
                .body("eventTypes", org.hamcrest.Matchers.contains("project:*", "project:job:failed"))
                .body("description", equalTo("ops"))
                .body("enabled", equalTo(true))
                .body("secret", startsWith("whsec_"))
                .extract().path("secret");
        String id = acme.given().when().get("/api/webhooks").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0]", not(hasKey("secret"))).extract().path("items[0].id");

        String single = acme.given().when().get("/api/webhooks/" + id).then().statusCode(200)
                .body("$", not(hasKey("secret"))).extract().asString();
        assertThat(single).doesNotContain(secret.substring(6));
    }

    @Test
    void update_changes_what_is_given_and_delete_removes_it() {
        UUID id = acme.webhook(URL, "project:*");

        acme.given().body(Map.of("eventTypes", List.of("project:job:*"), "description", "jobs only", "enabled", false))
                .when().patch("/api/webhooks/" + id)
                .then().statusCode(200)
                .body("eventTypes", org.hamcrest.Matchers.contains("project:job:*"))
                .body("url", equalTo(URL))
                .body("enabled", equalTo(false))
                .body("disabledReason", equalTo("disabled by its owner"));
        acme.given().body(Map.of("enabled", true)).when().patch("/api/webhooks/" + id)
                .then().statusCode(200).body("enabled", equalTo(true)).body("$", not(hasKey("disabledReason")));

        acme.given().when().delete("/api/webhooks/" + id).then().statusCode(204);
        acme.given().when().get("/api/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void secrets_are_stored_sealed_and_rotation_keeps_the_old_one_for_its_overlap() {
        String created = acme.given().body(Map.of("url", URL, "eventTypes", List.of("*"))).when().post("/api/webhooks")
                .then().statusCode(201).extract().path("secret");
        UUID id = (UUID) db.value("SELECT id FROM subscribers WHERE tenant_id = ?", acme.id());
        String before = (String) db.value("SELECT secret FROM subscribers WHERE id = ?", id);
        assertThat(before).startsWith("v1:").doesNotContain(created.substring(6));

        String rotated = acme.given().when().post("/api/webhooks/" + id + "/rotate-secret")
                .then().statusCode(200).body("secret", startsWith("whsec_")).extract().path("secret");

        Map<String, Object> row = db.rows("SELECT secret, previous_secrets -> 0 ->> 'secret' AS previous, "
                + "(previous_secrets -> 0 ->> 'expires_at')::timestamptz > now() + interval '23 hours' AS overlaps "
                + "FROM subscribers WHERE id = ?", id).get(0);
        assertThat((String) row.get("secret")).startsWith("v1:").isNotEqualTo(before).doesNotContain(rotated.substring(6));
        assertThat(row.get("previous")).isEqualTo(before);
        assertThat(row.get("overlaps")).isEqualTo(true);
    }

    @Test
    void a_webhook_receives_only_its_own_tenants_events() {
        UUID acmeHook = acme.webhook(URL, "*");
        UUID globexHook = globex.webhook(URL, "*");

        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(acme.id(), "Acme's", null, Instant.now()))));

        assertThat(db.rows("SELECT subscriber_id FROM deliveries")).extracting(row -> row.get("subscriber_id"))
                .containsExactly(acmeHook).doesNotContain(globexHook);
        acme.given().when().get("/api/events").then().body("items.size()", equalTo(1));
        globex.given().when().get("/api/events").then().body("items.size()", equalTo(0));
        given().when().get("/api/events").then().statusCode(401); // payloads carry personal data
        Tenants.admin().when().get("/api/events").then().body("items.size()", equalTo(1));
    }

    @Test
    void another_tenants_webhook_and_deliveries_are_404_never_data() {
        UUID id = acme.webhook(URL, "*");
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(acme.id(), "Acme's", null, Instant.now()))));
        Object delivery = db.value("SELECT id FROM deliveries");

        for (String path : List.of("/api/webhooks/" + id, "/api/webhooks/" + id + "/deliveries", "/api/deliveries/" + delivery)) {
            globex.given().when().get(path).then().statusCode(404).body("$", not(hasKey("url")));
        }
        globex.given().body(Map.of("description", "mine now")).when().patch("/api/webhooks/" + id).then().statusCode(404);
        globex.given().when().delete("/api/webhooks/" + id).then().statusCode(404);
        globex.given().when().post("/api/webhooks/" + id + "/rotate-secret").then().statusCode(404);
        globex.given().when().post("/api/webhooks/" + id + "/test").then().statusCode(404);
        globex.given().body(Map.of("since", "2020-01-01T00:00:00Z")).when().post("/api/webhooks/" + id + "/recover")
                .then().statusCode(404);
        globex.given().when().post("/api/deliveries/" + delivery + "/retry").then().statusCode(404);
        globex.given().when().get("/api/webhooks").then().body("items.size()", equalTo(0));
        acme.given().when().get("/api/webhooks/" + id).then().statusCode(200).body("description", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void missing_wrong_or_misplaced_credentials_are_refused() {
        given().when().get("/api/webhooks").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer tdk_not-a-key").when().get("/api/webhooks")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("error", equalTo("The API key is not valid"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").when().get("/api/webhooks").then().statusCode(401);
        Tenants.admin().when().get("/api/webhooks").then().statusCode(403);
        acme.given().body(Map.of("name", "x")).when().post("/api/tenants").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).when().post("/api/tenants").then().statusCode(401);
        given().when().get("/api/event-types").then().statusCode(401);
        Tenants.admin().body("{}").when().post("/api/tenants/" + UUID.randomUUID() + "/keys").then().statusCode(404);
    }

    @Test
    void credentials_are_checked_before_the_body() {
        given().contentType(ContentType.JSON).body("{\"url\": ").when().post("/api/webhooks")
                .then().statusCode(401).body("error", containsString("API key"));
        given().contentType(ContentType.JSON).body("{}").when().post("/api/webhooks").then().statusCode(401);
        acme.given().body("{\"name\": ").when().post("/api/tenants").then().statusCode(403);
        Tenants.admin().body("{}").when().post("/api/webhooks").then().statusCode(403);
    }

    @Test
    void bad_input_is_a_400_naming_the_field() {
        expect400(Map.of("eventTypes", List.of("*")), "url");
        expect400(Map.of("url", "ftp://example.com/x", "eventTypes", List.of("*")), "url");
        expect400(Map.of("url", "https://user:pw@example.com/", "eventTypes", List.of("*")), "url");
        expect400(Map.of("url", URL), "eventTypes");
        expect400(Map.of("url", URL, "eventTypes", List.of()), "eventTypes");
        expect400(Map.of("url", URL, "eventTypes", List.of("Project!")), "eventTypes");
        expect400(Map.of("url", URL, "eventTypes", List.of("billing:*")), "eventTypes")
                .body("error", containsString("matches no event type"));
        UUID id = acme.webhook(URL, "*");
        acme.given().when().get("/api/webhooks/" + id + "/deliveries?status=lost").then().statusCode(400).body("field", equalTo("status"));
        acme.given().when().get("/api/webhooks?after=nope").then().statusCode(400).body("field", equalTo("after"));
        acme.given().body("{}").when().post("/api/webhooks/" + id + "/recover").then().statusCode(400).body("field", equalTo("since"));
        acme.given().body(Map.of("url", "ftp://x")).when().patch("/api/webhooks/" + id).then().statusCode(400).body("field", equalTo("url"));
        acme.given().when().get("/api/webhooks/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void a_body_over_the_limit_is_a_413() {
        acme.given().body("{\"url\":\"" + "x".repeat(300 * 1024) + "\"}").when().post("/api/webhooks").then().statusCode(413);
    }

    @Test
    void the_catalog_lists_every_type_and_patterns_must_match_one() {
        acme.given().when().get("/api/event-types").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.hasItems("project:created", "project:job:pipeline_run:failed", "webhook:disabled"))
                .body("find { it.name == 'project:created' }.description", equalTo("A project was created."));
    }

    @Test
    void deliveries_are_listed_newest_first_and_filtered_by_status() {
        UUID id = acme.webhook(URL, "*");
        for (int i = 0; i < 3; i++) {
            QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                    new ProjectEvent("project:created", Project.create(acme.id(), "P", null, Instant.now()))));
        }
        db.update("UPDATE deliveries SET status = 'dead' WHERE id = (SELECT id FROM deliveries ORDER BY id LIMIT 1)");

        acme.given().when().get("/api/webhooks/" + id + "/deliveries?limit=2").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("items[0].eventType", equalTo("project:created"))
                .body("items[0].payload.project.name", equalTo("P")).body("next", org.hamcrest.Matchers.notNullValue());
        acme.given().when().get("/api/webhooks/" + id + "/deliveries?status=dead").then()
                .body("items.size()", equalTo(1)).body("items[0].status", equalTo("dead"));
    }

    @Test
    void recover_requeues_only_this_webhooks_dead_deliveries_since_the_time_given() {
        UUID mine = acme.webhook(URL, "*");
        UUID sibling = acme.webhook(URL, "*");
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(acme.id(), "P", null, Instant.now()))));
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:updated", Project.create(acme.id(), "P", null, Instant.now()))));
        db.update("UPDATE deliveries SET status = 'dead', attempts = 8");
        db.update("UPDATE deliveries SET created_at = now() - interval '3 days' WHERE event_id = "
                + "(SELECT id FROM events WHERE type = 'project:created')");

        acme.given().body(Map.of("since", Instant.now().minusSeconds(86_400).toString()))
                .when().post("/api/webhooks/" + mine + "/recover")
                .then().statusCode(200).body("recovered", equalTo(1)).body("limit", equalTo(10_000))
                .body("more", equalTo(false));

        assertThat(db.rows("SELECT d.subscriber_id, e.type, d.status, d.attempts FROM deliveries d JOIN events e ON e.id = d.event_id "
                + "WHERE d.status = 'pending'")).singleElement().satisfies(row -> {
                    assertThat(row.get("subscriber_id")).isEqualTo(mine);
                    assertThat(row.get("type")).isEqualTo("project:updated");
                    assertThat(row.get("attempts")).isEqualTo(0);
                });
        assertThat(db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'dead'", sibling)).isEqualTo(2);
    }

    @Test
    void test_queues_a_webhook_test_message_for_that_webhook_alone() {
        UUID target = acme.webhook(URL, "project:*");
        acme.webhook(URL, "*");

        acme.given().when().post("/api/webhooks/" + target + "/test").then().statusCode(202);

        assertThat(db.rows("SELECT d.subscriber_id, e.type, d.payload::text AS payload FROM deliveries d "
                + "JOIN events e ON e.id = d.event_id")).singleElement().satisfies(row -> {
                    assertThat(row.get("subscriber_id")).isEqualTo(target);
                    assertThat(row.get("type")).isEqualTo("webhook:test");
                    assertThat((String) row.get("payload")).contains(target.toString());
                });
    }

    @Test
    void a_disabled_webhook_cannot_be_tested_recovered_or_have_deliveries_retried() {
        UUID id = acme.webhook(URL, "*");
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(acme.id(), "P", null, Instant.now()))));
        db.update("UPDATE deliveries SET status = 'dead'");
        Object delivery = db.value("SELECT id FROM deliveries");
        acme.given().body(Map.of("enabled", false)).when().patch("/api/webhooks/" + id).then().statusCode(200);

        acme.given().when().post("/api/webhooks/" + id + "/test").then().statusCode(409).body("field", equalTo("enabled"));
        acme.given().body(Map.of("since", "2020-01-01T00:00:00Z")).when().post("/api/webhooks/" + id + "/recover")
                .then().statusCode(409).body("error", containsString("disabled by its owner"));
        acme.given().when().post("/api/deliveries/" + delivery + "/retry").then().statusCode(409);
        assertThat(db.value("SELECT status FROM deliveries")).isEqualTo("dead");

        acme.given().body(Map.of("enabled", true)).when().patch("/api/webhooks/" + id).then().statusCode(200);
        acme.given().when().post("/api/deliveries/" + delivery + "/retry").then().statusCode(202);
    }

    @Test
    void a_tenant_has_at_most_max_per_tenant_webhooks() {
        for (int i = 0; i < 100; i++) {
            acme.webhook(URL, "*");
        }
        acme.given().body(Map.of("url", URL, "eventTypes", List.of("*"))).when().post("/api/webhooks")
                .then().statusCode(409).body("error", containsString("tidings.webhooks.max-per-tenant"));
        globex.given().body(Map.of("url", URL, "eventTypes", List.of("*"))).when().post("/api/webhooks").then().statusCode(201);
    }

    @Test
    void tests_retries_and_recovers_are_limited_per_tenant() {
        UUID id = acme.webhook(URL, "*");
        int accepted = 0;
        io.restassured.response.Response refused = null;
        while (refused == null && accepted < 100) {
            io.restassured.response.Response response = acme.given().when().post("/api/webhooks/" + id + "/test");
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                refused = response;
            }
        }
        // 60 at once, and the bucket refills by one a second meanwhile
        assertThat(accepted).isBetween(60, 65);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body().asString()).contains("tidings.api.tenant-operations-per-minute");
        // recover draws on the same bucket: a refill may let one through, never two
        List<Integer> recovers = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            recovers.add(acme.given().body(Map.of("since", "2020-01-01T00:00:00Z")).when()
                    .post("/api/webhooks/" + id + "/recover").statusCode());
        }
        assertThat(recovers).contains(429);
        UUID other = globex.webhook(URL, "*");
        globex.given().when().post("/api/webhooks/" + other + "/test").then().statusCode(202);
    }

    private io.restassured.response.ValidatableResponse expect400(Map<String, Object> body, String field) {
        return acme.given().body(body).when().post("/api/webhooks").then().statusCode(400).body("field", equalTo(field));
    }

    @Test
    void a_rate_limit_is_kept_shown_and_removed_and_bad_ones_are_refused_naming_the_field() {
        String id = acme.given().body(Map.of("url", URL, "eventTypes", List.of("project:*"),
                "maxPerSecond", 20)).when().post("/api/webhooks").then().statusCode(201).body("maxPerSecond", equalTo(20))
                .extract().path("id");
        assertThat(db.value("SELECT max_per_second FROM subscribers WHERE id = ?::uuid", id)).isEqualTo(20);
        acme.given().body(Map.of("maxPerSecond", 0)).when().patch("/api/webhooks/" + id).then().statusCode(200)
                .body("$", not(hasKey("maxPerSecond")));
        assertThat(db.value("SELECT max_per_second FROM subscribers WHERE id = ?::uuid", id)).isNull();
        for (Object bad : List.of(-1, 10_001, "fast")) {
            acme.given().body(Map.of("maxPerSecond", bad)).when().patch("/api/webhooks/" + id).then().statusCode(400)
                    .body("field", equalTo("maxPerSecond"));
        }
    }
}
