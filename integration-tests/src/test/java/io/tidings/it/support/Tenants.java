package io.tidings.it.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Tenants made through the admin API of the application under test, each with an API key. */
public final class Tenants {

    private Tenants() {
    }

    /** @param key the tenant's API key */
    public record Tenant(UUID id, String key) {

        /** A rest-assured request authenticated as this tenant. */
        public RequestSpecification given() {
            return io.restassured.RestAssured.given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
        }

        /** Creates a webhook and returns its id. */
        public UUID webhook(String url, String... eventTypes) {
            return UUID.fromString(given().body(Map.of("url", url, "eventTypes", List.of(eventTypes)))
                    .when().post("/api/webhooks").then().statusCode(201).extract().path("id"));
        }
    }

    public static Tenant create(String name) {
        UUID id = UUID.fromString(admin().body(Map.of("name", name)).when().post("/api/tenants")
                .then().statusCode(201).extract().path("id"));
        String key = admin().body("{}").when().post("/api/tenants/" + id + "/keys")
                .then().statusCode(201).extract().path("key");
        return new Tenant(id, key);
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminKey()).contentType(ContentType.JSON);
    }

    public static String adminKey() {
        return ConfigProvider.getConfig().getValue("tidings.api.admin-key", String.class);
    }
}
