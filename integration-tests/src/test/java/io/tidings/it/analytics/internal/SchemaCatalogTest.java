package io.tidings.it.analytics.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.analytics.internal.EventSchemas;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;

/**
 * Every schema of every registered type and version is served, to anyone, at the path of its
 * {@code $id}, whole (shared layers inlined); the example beside it passes that very schema; the
 * catalog's pages and the event-types API point at them.
 */
@QuarkusTest
class SchemaCatalogTest extends EmptyDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventTypeRegistry types;
    @Inject
    EventSchemas schemas;

    @Test
    void each_schema_is_served_at_its_id_with_an_example_that_passes_it() throws Exception {
        int served = 0;
        for (EventType type : types.all()) {
            for (int version = 1; version <= type.schemaVersion(); version++) {
                EventType at = type.atVersion(version);
                for (Kind kind : Kind.values()) {
                    JsonNode document = schemas.document(at, kind).orElse(null);
                    if (document == null) {
                        continue;
                    }
                    String path = "/schemas" + URI.create(document.path("$id").asText()).getPath();
                    JsonNode servedSchema = JSON.readTree(given().get(path).then().statusCode(200).extract().asString());
                    assertThat(servedSchema).as(path).isEqualTo(document);
                    assertThat(servedSchema.toString()).as(path + " stands alone").doesNotContain("$ref");
                    ObjectNode example = (ObjectNode) JSON.readTree(given().get(path.replace(".json", ".example.json"))
                            .then().statusCode(200).extract().asString());
                    if (kind == Kind.NOTIFICATION) {
                        schemas.checkNotification(at, example); // throws, naming the path, where it does not pass
                    } else {
                        schemas.prepareTelemetry(at, example);
                    }
                    served++;
                }
            }
        }
        assertThat(served).as("schemas served").isGreaterThan(30);
    }

    @Test
    void an_unknown_schema_is_a_404_and_nothing_else_on_the_class_path_is_served() {
        given().get("/schemas/project/nothing/v1/notification.json").then().statusCode(404)
                .body("error", containsString("/schemas/project/nothing/v1/notification.json"));
        given().get("/schemas/_defs/v1/notification.json").then().statusCode(404);
        given().get("/schemas/application.properties").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/schemas/..%2F..%2Fapplication.json").then().statusCode(404);
    }

    @Test
    void the_catalog_and_the_api_point_at_them() {
        given().get("/collected").then().statusCode(200)
                .body(containsString("href=\"/schemas/project/created/v1/telemetry.json\""))
                .body(containsString("href=\"/schemas/project/created/v1/telemetry.example.json\""));
        Tenants.create("Acme").given().get("/api/event-types").then().statusCode(200)
                .body("find { it.name == 'project:created' }.schema", equalTo("/schemas/project/created/v1/notification.json"))
                .body("find { it.name == 'project:created' }.telemetrySchema", equalTo("/schemas/project/created/v1/telemetry.json"))
                .body("find { it.name == 'project:renamed' }.schema", equalTo("/schemas/project/renamed/v2/notification.json"))
                .body("find { it.name == 'project:renamed' }.telemetrySchema", equalTo(null));
    }
}
