package io.tidings.it.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;

/** The console over HTTP: sessions, CSRF, headers, escaping and tenant isolation. */
@QuarkusTest
class ConsoleTest extends EmptyDatabaseTest {

    private static final String URL = "http://127.0.0.1:9/hook";
    private static final String XSS = "<script>alert('x')</script>";

    private Tenant acme;
    private Tenant globex;

    @BeforeEach
    void tenants() {
        acme = Tenants.create("acme");
        globex = Tenants.create("globex");
    }

    @Test
    void without_a_session_every_page_sends_the_browser_to_sign_in() {
        Response page = given().redirects().follow(false).get("/console/webhooks");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.header("Location")).endsWith("/console/sign-in");
        assertThat(given().redirects().follow(false).cookie("tidings_console", "forged").get("/console/outbox").statusCode())
                .isEqualTo(303);
    }

    @Test
    void a_wrong_key_is_refused_and_the_key_never_reaches_a_url() {
        Response form = given().get("/console/sign-in");
        assertThat(form.asString()).contains("type=\"password\"").contains("method=\"post\"");
        Response refused = given().cookie("tidings_console_sign_in", form.getCookie("tidings_console_sign_in"))
                .formParam("csrf", form.getCookie("tidings_console_sign_in")).formParam("key", "tdk_not-a-key")
                .post("/console/sign-in");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.asString()).contains("That key is not valid").doesNotContain("tdk_not-a-key");
        assertThat(refused.getCookie("tidings_console")).isNull();
    }

    @Test
    void pages_carry_a_strict_content_security_policy_and_the_api_does_not() {
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        Response page = console.get("/console/webhooks");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("frame-ancestors 'none'")
                .doesNotContain("script-src").doesNotContain("unsafe-inline");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.asString()).doesNotContain("<script");
        assertThat(acme.given().get("/api/webhooks").header("Content-Security-Policy")).isNull();
        assertThat(given().get("/console/sign-in").detailedCookie("tidings_console_sign_in").isHttpOnly()).isTrue();
    }

    @Test
    void a_tenant_creates_a_webhook_sees_its_secret_once_and_its_description_as_text() {
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        console.get("/console/webhooks");
        Response created = console.post("/console/webhooks", Map.of("url", URL, "eventTypes", "project:*, project:job:failed",
                "description", XSS));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.asString()).containsPattern("value=\"whsec_[A-Za-z0-9+/=]+\"");

        String list = console.get("/console/webhooks").asString();
        assertThat(list).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").doesNotContain(XSS).doesNotContain("whsec_");
        assertThat(acme.given().get("/api/webhooks").then().extract().<String>path("items[0].description")).isEqualTo(XSS);
    }

    @Test
    void the_console_refuses_what_the_api_refuses_with_the_api_s_words() {
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        console.get("/console/webhooks");
        Response refused = console.post("/console/webhooks", Map.of("url", "ftp://hooks.example.com/x", "eventTypes", "*"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("role=\"alert\"").contains("value=\"ftp://hooks.example.com/x\"");
        assertThat(acme.given().get("/api/webhooks").then().extract().<java.util.List<?>>path("items")).isEmpty();

        Response noTypes = console.post("/console/webhooks", Map.of("url", URL, "eventTypes", " "));
        assertThat(noTypes.statusCode()).isEqualTo(400);
        assertThat(noTypes.asString()).contains("eventTypes");
    }

    @Test
    void a_rate_limit_is_set_shown_and_removed_in_the_form_and_a_bad_one_is_refused_naming_it() {
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        console.get("/console/webhooks");
        Response created = console.post("/console/webhooks", Map.of("url", URL, "eventTypes", "*", "maxPerSecond", "5"));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = acme.given().get("/api/webhooks").then().body("items[0].maxPerSecond", org.hamcrest.Matchers.equalTo(5))
                .extract().path("items[0].id");
        assertThat(console.get("/console/webhooks/" + id).asString()).contains("at most 5 messages a second");

        Response refused = console.post("/console/webhooks/" + id, Map.of("url", URL, "eventTypes", "*", "maxPerSecond", "fast"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("whole number").contains("value=\"fast\"");
        Response cleared = console.post("/console/webhooks/" + id, Map.of("url", URL, "eventTypes", "*", "maxPerSecond", ""));
        assertThat(cleared.statusCode()).isEqualTo(303);
        acme.given().get("/api/webhooks/" + id).then().body("maxPerSecond", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        UUID webhook = acme.webhook(URL, "*");
        console.get("/console/webhooks/" + webhook);

        assertThat(console.postWithoutToken("/console/webhooks", Map.of("url", URL, "eventTypes", "*")).statusCode()).isEqualTo(403);
        assertThat(console.postWithoutToken("/console/webhooks/" + webhook + "/disable", Map.of()).statusCode()).isEqualTo(403);
        assertThat(console.request().formParam("csrf", "guessed").post("/console/webhooks/" + webhook + "/delete").statusCode())
                .isEqualTo(403);
        assertThat(acme.given().get("/api/webhooks").then().extract().<java.util.List<?>>path("items")).hasSize(1);
        assertThat(acme.given().get("/api/webhooks/" + webhook).then().extract().<Boolean>path("enabled")).isTrue();

        // another session's token is no better
        ConsoleClient other = ConsoleClient.signIn(acme.key());
        other.get("/console/webhooks");
        assertThat(console.request().formParam("csrf", "x").post("/console/sign-out").statusCode()).isEqualTo(403);
        assertThat(console.post("/console/webhooks/" + webhook + "/disable", Map.of()).statusCode()).isEqualTo(303);
    }

    @Test
    void a_webhook_s_page_names_its_headers_and_warns_of_a_pinned_version_going_away() {
        UUID pinned = acme.webhook(URL, "project:renamed@1", "project:created");
        String page = ConsoleClient.signIn(acme.key()).get("/console/webhooks/" + pinned).asString();
        assertThat(page).contains("Pins a version that is going away: project:renamed@1");
        UUID current = acme.webhook(URL, "project:renamed");
        assertThat(ConsoleClient.signIn(acme.key()).get("/console/webhooks/" + current).asString()).doesNotContain("going away")
                .contains("<dt>Authentication</dt><dd>its signature</dd>");
        UUID gated = UUID.fromString(acme.given().body(Map.of("url", URL, "eventTypes", List.of("project:*"),
                "headers", Map.of("X-Team", "ops-7f3a"), "auth", Map.of("type", "oauth2", "tokenUrl", URL + "/token",
                        "clientId", "tidings", "clientSecret", "client-secret-9c2d")))
                .when().post("/api/webhooks").then().statusCode(201).extract().path("id"));
        assertThat(ConsoleClient.signIn(acme.key()).get("/console/webhooks/" + gated).asString())
                .contains("X-Team (values sealed)", "OAuth 2.0 client credentials").doesNotContain("ops-7f3a", "client-secret-9c2d");
    }

    @Test
    void the_event_catalog_shows_each_type_with_its_versions_schema_and_an_example() {
        String page = ConsoleClient.signIn(acme.key()).get("/console/event-types").then().statusCode(200).extract().asString();
        assertThat(page).contains("<code>project:created</code>", "href=\"/schemas/project/created/v1/notification.json\"")
                .contains("v1 <span class=\"bad\">(deprecated: going away)</span>, v2 (current)")
                .contains("&quot;project&quot;"); // the example, escaped as text
        assertThat(ConsoleClient.signIn(acme.key()).get("/console/webhooks").asString()).contains("href=\"/console/event-types\"");
    }

    @Test
    void deleting_a_webhook_asks_first_and_times_read_as_how_long_ago() {
        UUID webhook = acme.webhook(URL, "project:*");
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        assertThat(console.get("/console/webhooks/" + webhook).asString())
                .containsPattern("<time datetime=\"\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC\" title=\"[^\"]+\">(just now|\\d+ s ago)</time>");
        Response asked = console.get("/console/webhooks/" + webhook + "/delete");
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.asString()).contains("Delete this webhook?", "cannot be undone");
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE id = ?", webhook)).as("asking deletes nothing").isEqualTo(1);
        assertThat(console.post("/console/webhooks/" + webhook + "/delete", Map.of()).statusCode()).isEqualTo(303);
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE id = ?", webhook)).isZero();
    }

    @Test
    void one_tenant_never_sees_another_s_webhooks_or_deliveries() {
        UUID theirs = globex.webhook(URL, "*");
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        Response page = console.get("/console/webhooks/" + theirs);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(console.get("/console/webhooks").asString()).doesNotContain(theirs.toString());
        assertThat(console.post("/console/webhooks/" + theirs + "/test", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void the_admin_sees_the_outbox_and_manages_tenants_but_no_tenant_s_webhooks() {
        UUID off = acme.webhook(URL, "*");
        acme.given().body(Map.of("enabled", false)).patch("/api/webhooks/" + off).then().statusCode(200);
        ConsoleClient admin = ConsoleClient.signIn(Tenants.adminKey());
        Response outbox = admin.get("/console/outbox");
        assertThat(outbox.statusCode()).isEqualTo(200);
        assertThat(outbox.asString()).contains("Lag over the last hour").containsAnyOf("<svg", "No samples yet")
                .contains(URL, ">acme</a>").contains("disabled by its owner"); // by URL and tenant name
        assertThat(admin.get("/console/webhooks").statusCode()).isEqualTo(403);

        assertThat(admin.get("/console/tenants").asString()).contains("acme").contains("globex");
        Response created = admin.post("/console/tenants", Map.of("name", "initech"));
        assertThat(created.statusCode()).isEqualTo(303);
        Response key = admin.post(created.header("Location") + "/keys", Map.of("description", "console"));
        assertThat(key.statusCode()).isEqualTo(201);
        assertThat(key.asString()).containsPattern("value=\"tdk_[A-Za-z0-9_-]+\"");

        ConsoleClient tenant = ConsoleClient.signIn(acme.key());
        assertThat(tenant.get("/console/outbox").statusCode()).isEqualTo(403);
        assertThat(tenant.get("/console/tenants").statusCode()).isEqualTo(403);
    }

    @Test
    void a_revoked_key_ends_its_sessions_and_signing_out_ends_one() {
        ConsoleClient console = ConsoleClient.signIn(acme.key());
        assertThat(console.get("/console/webhooks").statusCode()).isEqualTo(200);
        UUID keyId = UUID.fromString(Tenants.admin().get("/api/tenants/" + acme.id() + "/keys").then().extract().path("[0].id"));
        Tenants.admin().delete("/api/tenants/" + acme.id() + "/keys/" + keyId).then().statusCode(204);
        assertThat(console.get("/console/webhooks").statusCode()).isEqualTo(303);

        ConsoleClient other = ConsoleClient.signIn(globex.key());
        other.get("/console/webhooks");
        assertThat(other.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(303);
        assertThat(other.get("/console/webhooks").statusCode()).isEqualTo(303);
        assertThat(db.count("SELECT count(*) FROM console_sessions")).isEqualTo(1); // acme's, whose key is revoked
    }
}
