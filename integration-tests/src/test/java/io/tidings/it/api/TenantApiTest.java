package io.tidings.it.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;

/** The admin's view of tenants and their keys: list, expire, revoke, delete. */
@QuarkusTest
class TenantApiTest extends EmptyDatabaseTest {

    private static final String HOOK = "http://127.0.0.1:9/hook";

    @Test
    void tenants_are_listed_by_the_admin_only() {
        Tenant acme = Tenants.create("Acme");
        Tenants.create("Globex");
        Tenants.admin().when().get("/api/tenants").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.contains("Acme", "Globex"))
                .body("items[0].createdAt", notNullValue());
        Tenants.admin().when().get("/api/tenants?limit=1").then().body("items.size()", equalTo(1)).body("next", notNullValue());
        acme.given().when().get("/api/tenants").then().statusCode(403);
        io.restassured.RestAssured.given().when().get("/api/tenants").then().statusCode(401);
    }

    @Test
    void a_page_size_that_is_not_a_number_from_1_to_500_is_a_400_naming_limit() {
        Tenant acme = Tenants.create("Acme");
        UUID webhook = UUID.fromString(acme.given().body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes",
                List.of("*"))).post("/api/webhooks").then().statusCode(201).extract().path("id"));
        for (String path : List.of("/api/events", "/api/webhooks", "/api/webhooks/" + webhook + "/deliveries")) {
            for (String limit : List.of("AAA", "0", "501", "1.5")) {
                acme.given().when().get(path + "?limit=" + limit).then().statusCode(400).body("field", equalTo("limit"));
            }
            acme.given().when().get(path + "?limit=500").then().statusCode(200);
        }
        Tenants.admin().when().get("/api/tenants?limit=AAA").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void keys_are_listed_without_their_secret_part_and_last_use_is_written_at_most_once_a_minute() {
        Tenant acme = Tenants.create("Acme");
        acme.given().when().get("/api/webhooks").then().statusCode(200);
        Instant firstUse = (Instant) instant("SELECT last_used_at FROM api_keys WHERE tenant_id = ?", acme.id());
        acme.given().when().get("/api/webhooks").then().statusCode(200);
        assertThat(instant("SELECT last_used_at FROM api_keys WHERE tenant_id = ?", acme.id())).isEqualTo(firstUse);
        db.update("UPDATE api_keys SET last_used_at = now() - interval '61 seconds' WHERE tenant_id = ?", acme.id());
        acme.given().when().get("/api/webhooks").then().statusCode(200);
        assertThat((Instant) instant("SELECT last_used_at FROM api_keys WHERE tenant_id = ?", acme.id())).isAfter(firstUse);

        String listing = Tenants.admin().when().get("/api/tenants/" + acme.id() + "/keys").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].prefix", equalTo(acme.key().substring(0, 10)))
                .body("[0].lastUsedAt", notNullValue()).body("[0].revokedAt", nullValue())
                .extract().asString();
        assertThat(listing).doesNotContain(acme.key()).doesNotContain("hash");
    }

    @Test
    void a_revoked_key_is_refused_from_the_next_request_on() {
        Tenant acme = Tenants.create("Acme");
        UUID keyId = (UUID) db.value("SELECT id FROM api_keys WHERE tenant_id = ?", acme.id());
        acme.given().when().get("/api/webhooks").then().statusCode(200);
        Tenant globex = Tenants.create("Globex");
        Tenants.admin().when().delete("/api/tenants/" + globex.id() + "/keys/" + keyId).then().statusCode(404);

        Tenants.admin().when().delete("/api/tenants/" + acme.id() + "/keys/" + keyId).then().statusCode(204);
        acme.given().when().get("/api/webhooks").then().statusCode(401);
        Tenants.admin().when().get("/api/tenants/" + acme.id() + "/keys").then().body("[0].revokedAt", notNullValue());
    }

    @Test
    void a_key_stops_working_when_it_expires_and_cannot_be_made_expired() {
        Tenant acme = Tenants.create("Acme");
        Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS);
        String key = Tenants.admin().body(Map.of("description", "ci", "expiresAt", tomorrow.toString()))
                .when().post("/api/tenants/" + acme.id() + "/keys").then().statusCode(201)
                .body("expiresAt", notNullValue()).extract().path("key");
        Tenant withExpiry = new Tenant(acme.id(), key);
        withExpiry.given().when().get("/api/webhooks").then().statusCode(200);
        db.update("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE description = 'ci'");
        withExpiry.given().when().get("/api/webhooks").then().statusCode(401);

        Tenants.admin().body(Map.of("expiresAt", Instant.now().minusSeconds(5).toString()))
                .when().post("/api/tenants/" + acme.id() + "/keys").then().statusCode(400).body("field", equalTo("expiresAt"));
    }

    @Test
    void deleting_a_tenant_removes_its_keys_webhooks_and_deliveries_and_nothing_of_others() {
        Tenant acme = Tenants.create("Acme");
        Tenant globex = Tenants.create("Globex");
        UUID acmeHook = acme.webhook(HOOK, "*");
        UUID globexHook = globex.webhook(HOOK, "*");
        acme.given().when().post("/api/webhooks/" + acmeHook + "/test").then().statusCode(202);
        globex.given().when().post("/api/webhooks/" + globexHook + "/test").then().statusCode(202);

        Tenants.admin().when().delete("/api/tenants/" + acme.id()).then().statusCode(204);

        acme.given().when().get("/api/webhooks").then().statusCode(401);
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE tenant_id = '" + acme.id() + "'")).isZero();
        assertThat(db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + acmeHook + "'")).isZero();
        assertThat(db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = '" + globexHook + "'")).isEqualTo(1);
        globex.given().when().get("/api/webhooks").then().statusCode(200).body("items.id", hasItem(globexHook.toString()));
        Tenants.admin().when().get("/api/tenants").then().body("items.name", not(hasItem("Acme")));
        Tenants.admin().when().delete("/api/tenants/" + acme.id()).then().statusCode(404);
    }

    private Object instant(String sql, UUID tenant) {
        return ((java.sql.Timestamp) db.value(sql, tenant)).toInstant();
    }
}
