package io.tidings.it.api.internal;

import static io.restassured.RestAssured.given;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

/** Clients that hold public requests open take only their share; the rest of the service answers. */
@QuarkusTest
@TestProfile(PublicEndpointLimitTest.TwoAtOnce.class)
class PublicEndpointLimitTest extends EmptyDatabaseTest {

    private static final String EVENT = "{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"projects\"}}}";

    public static class TwoAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.api.public-concurrency", "2");
        }
    }

    @Test
    void beyond_the_limit_public_requests_get_503_and_everything_else_still_answers() throws Exception {
        Tenants.Tenant acme = Tenants.create("Acme");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(holdOpen("/api/analytics"));
            }
            WebhookReceiver.await(() -> relay() == 503, Duration.ofSeconds(10), () -> "the third request was served");
            given().contentType(ContentType.JSON).body(Map.of("name", "P")).when().post("/api/projects")
                    .then().statusCode(503).header("Retry-After", "1");
            acme.given().when().get("/api/webhooks").then().statusCode(200);
            Tenants.admin().when().get("/api/tenants").then().statusCode(200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        WebhookReceiver.await(() -> relay() == 202, Duration.ofSeconds(10), () -> "the permits of closed connections came back");
    }

    @Test
    void permits_come_back_after_every_kind_of_answer() {
        for (int i = 0; i < 20; i++) {
            relay();
            given().contentType(ContentType.JSON).body("{").when().post("/api/analytics").then().statusCode(400);
            given().contentType(ContentType.JSON).body("{\"name\": \"" + "x".repeat(300_000) + "\"}").when().post("/api/projects")
                    .then().statusCode(413);
            given().when().get("/collected").then().statusCode(200);
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "P")).when().post("/api/projects").then().statusCode(201);
    }

    // The request's headers and not its body: the server has begun it and waits for the rest.
    private static Socket holdOpen(String path) throws Exception {
        Socket socket = new Socket("localhost", RestAssured.port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static int relay() {
        return given().contentType(ContentType.JSON).body(EVENT).when().post("/api/analytics").then().extract().statusCode();
    }
}
