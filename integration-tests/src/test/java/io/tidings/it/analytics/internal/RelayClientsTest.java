package io.tidings.it.analytics.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tidings.analytics.internal.RelayRateLimit;
import io.tidings.it.support.EmptyDatabaseTest;

/**
 * Behind a trusted proxy (the tests' own address, 127.0.0.1): the forwarded address is the client,
 * an IPv6 /64 is one client, and browsers of the configured origins only may call the relay.
 */
@QuarkusTest
@TestProfile(RelayClientsTest.BehindProxy.class)
class RelayClientsTest extends EmptyDatabaseTest {

    private static final String ORIGIN = "https://app.example.com";

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.analytics.relay-per-minute", "2",
                    "tidings.analytics.relay-origins", ORIGIN,
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @Test
    void an_ipv6_64_is_one_client_and_ipv4_addresses_are_each_their_own() throws Exception {
        assertThat(RelayRateLimit.clientOf(InetAddress.getByName("2001:db8:1:2::1")))
                .isEqualTo(RelayRateLimit.clientOf(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff")))
                .isNotEqualTo(RelayRateLimit.clientOf(InetAddress.getByName("2001:db8:1:3::1")));

        relayFrom("2001:db8:1:2::1", 2).statusCode(202);
        relayFrom("2001:db8:1:2::9", 1).statusCode(429);
        relayFrom("2001:db8:1:3::1", 2).statusCode(202);
        relayFrom("198.51.100.1", 2).statusCode(202);
        relayFrom("198.51.100.2", 2).statusCode(202);
        relayFrom("198.51.100.1", 1).statusCode(429).header("Retry-After", "60");
    }

    @Test
    void a_beacon_s_text_plain_body_is_taken_like_json() {
        given().header("X-Forwarded-For", "203.0.113.9").contentType("text/plain")
                .body("[{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"projects\"}}}]")
                .when().post("/api/analytics").then().statusCode(202);
        given().header("X-Forwarded-For", "203.0.113.10").contentType("text/plain").body("{not json")
                .when().post("/api/analytics").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("event"));
    }

    @Test
    void only_the_configured_origins_get_cors_and_only_on_the_relay() {
        given().header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST").when().options("/api/analytics")
                .then().statusCode(204).header("Access-Control-Allow-Origin", ORIGIN)
                .header("Access-Control-Allow-Methods", "GET, POST");
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .when().options("/api/analytics").then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        relayFrom("198.51.100.77", 1, ORIGIN).statusCode(202).header("Access-Control-Allow-Origin", ORIGIN);
        given().header("Origin", ORIGIN).when().get("/api/webhooks")
                .then().statusCode(401).header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", ORIGIN).when().get("/api/event-types")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    private static ValidatableResponse relayFrom(String address, int events) {
        return relayFrom(address, events, null);
    }

    private static ValidatableResponse relayFrom(String address, int events, String origin) {
        String event = "{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"projects\"}}}";
        var request = given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body("[" + String.join(",", java.util.Collections.nCopies(events, event)) + "]");
        if (origin != null) {
            request.header("Origin", origin);
        }
        return request.when().post("/api/analytics").then();
    }
}
