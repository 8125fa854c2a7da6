package io.tidings.it.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OpenApiTest {

    @Test
    void the_description_covers_every_endpoint_and_the_bearer_key() {
        var spec = given().when().get("/q/openapi?format=json").then().statusCode(200);
        for (String path : new String[] { "/api/projects", "/api/projects/{id}", "/api/projects/{id}/jobs",
                "/api/jobs/{id}/status", "/api/jobs/{id}/runs", "/api/runs/{id}/status", "/api/events", "/api/event-types",
                "/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/{id}/rotate-secret", "/api/webhooks/{id}/test",
                "/api/webhooks/{id}/deliveries", "/api/webhooks/{id}/recover", "/api/deliveries/{id}",
                "/api/deliveries/{id}/retry", "/api/tenants", "/api/tenants/{id}/keys" }) {
            spec.body("paths", hasKey(path));
        }
        spec.body("components.securitySchemes.apiKey.scheme", equalTo("bearer"));
    }
}
