package io.tidings.it.analytics;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * An application built with the relay and the /collected page off has neither: the paths answer
 * 404 as any unknown path does, and the rest of Tidings answers as before.
 */
@QuarkusTest
@TestProfile(SurfacesLeftOutTest.Off.class)
class SurfacesLeftOutTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.analytics.relay-enabled", "false", "tidings.analytics.collected-page-enabled", "false");
        }
    }

    @Test
    void the_relay_its_script_and_the_collected_page_are_not_there() {
        given().get("/tidings.js").then().statusCode(404);
        given().contentType("application/json").body("{\"event\":\"client:screen_viewed\",\"properties\":{}}")
                .post("/api/analytics").then().statusCode(404);
        given().get("/api/analytics/config").then().statusCode(404);
        given().get("/collected").then().statusCode(404);
        given().get("/schemas/project/created/v1/notification.json").then().statusCode(404);
        given().get("/api/event-types").then().statusCode(401); // still there, behind its credential
    }
}
