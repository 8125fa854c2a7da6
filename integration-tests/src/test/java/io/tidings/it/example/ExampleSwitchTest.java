package io.tidings.it.example;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tidings.it.support.EmptyDatabaseTest;

/** With the demo off, its paths are gone and nothing is recorded through them; the rest still answers. */
@QuarkusTest
@TestProfile(ExampleSwitchTest.ExampleOff.class)
class ExampleSwitchTest extends EmptyDatabaseTest {

    public static class ExampleOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.example.enabled", "false");
        }
    }

    @Test
    void the_example_api_answers_404_when_switched_off() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Apollo")).when().post("/api/projects")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", containsString("tidings.example.enabled"));
        given().contentType(ContentType.JSON).body(Map.of("status", "started")).when().post("/api/jobs/" + java.util.UUID.randomUUID() + "/status")
                .then().statusCode(404);
        org.assertj.core.api.Assertions.assertThat(db.count("SELECT count(*) FROM events")).isZero();
        given().when().get("/api/webhooks").then().statusCode(401);
    }
}
