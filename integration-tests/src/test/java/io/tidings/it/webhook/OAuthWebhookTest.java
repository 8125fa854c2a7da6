package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.TenantReceiverTest;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * A receiver behind OAuth 2.0: a token endpoint of the test's own issues bearer tokens that expire
 * (client credentials, checked with HTTP Basic), and the receiver takes only a live one. The token
 * is fetched once and kept, fetched again before it expires and once more when refused; a token
 * endpoint that is down fails the attempt, which is tried again, never dead; the client's secret
 * never comes back from the API.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class OAuthWebhookTest extends TenantReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CLIENT_ID = "tidings-webhooks";
    private static final String CLIENT_SECRET = "oauth-client-secret-5b1e";

    private WebhookReceiver tokenEndpoint;
    private final Map<String, Instant> live = new ConcurrentHashMap<>(); // token -> when it expires
    private final AtomicInteger issued = new AtomicInteger();
    private volatile long expiresIn = 3600;
    private volatile boolean endpointDown;

    @BeforeEach
    void servers() {
        tokenEndpoint = WebhookReceiver.start();
        tokenEndpoint.replyWith(this::issue);
        receiver.replyWith(request -> {
            String authorization = request.header("authorization");
            Instant expires = authorization == null ? null : live.get(authorization.replace("Bearer ", ""));
            return Reply.status(expires != null && Instant.now().isBefore(expires) ? 204 : 401);
        });
    }

    @AfterEach
    void stopTokenEndpoint() {
        tokenEndpoint.close();
    }

    private Reply issue(Request request) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (endpointDown) {
            return Reply.status(503);
        }
        if (!basic.equals(request.header("authorization")) || !request.body().startsWith("grant_type=client_credentials")) {
            return Reply.status(401).withBody("{\"error\":\"invalid_client\"}");
        }
        String token = "tok-" + issued.incrementAndGet();
        live.put(token, Instant.now().plusSeconds(expiresIn));
        return Reply.status(200).withHeader("content-type", "application/json")
                .withBody("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
    }

    @Test
    void a_token_is_fetched_once_kept_and_its_secret_never_shown() {
        UUID webhook = create();
        String view = acme.given().get("/api/webhooks/" + webhook).then().statusCode(200)
                .body("auth.type", equalTo("oauth2")).body("auth.clientId", equalTo(CLIENT_ID))
                .body("auth.scope", equalTo("webhooks:write")).extract().asString();
        assertThat(view).doesNotContain(CLIENT_SECRET);
        assertThat(String.valueOf(db.value("SELECT sealed_credentials FROM subscribers WHERE id = ?", webhook)))
                .doesNotContain(CLIENT_SECRET);

        recordProjectCreated(3);
        List<Request> messages = receiver.awaitRequests("/hook", 3, WAIT);
        assertThat(messages).extracting(message -> message.header("authorization")).containsOnly("Bearer tok-1");
        assertThat(tokenEndpoint.requests("/token")).hasSize(1);
        assertThat(tokenEndpoint.requests("/token").get(0).body()).isEqualTo("grant_type=client_credentials&scope=webhooks%3Awrite");
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 3, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, last_error FROM deliveries"));
    }

    @Test
    void a_token_about_to_expire_is_fetched_anew_and_a_refused_one_once_more_within_the_attempt() throws Exception {
        expiresIn = 1;
        create();
        recordProjectCreated(1);
        receiver.awaitRequests("/hook", 1, WAIT);
        Thread.sleep(1200); // tok-1 has expired: the next send fetches tok-2 first
        recordProjectCreated(1);
        assertThat(receiver.awaitRequests("/hook", 2, WAIT).get(1).header("authorization")).isEqualTo("Bearer tok-2");

        expiresIn = 3600;
        recordProjectCreated(1);
        receiver.awaitRequests("/hook", 3, WAIT);
        String kept = receiver.requests("/hook").get(2).header("authorization").replace("Bearer ", "");
        live.remove(kept); // revoked at the authorization server: the receiver refuses it
        recordProjectCreated(1);
        List<Request> messages = receiver.awaitRequests("/hook", 5, WAIT);
        assertThat(messages.get(3).header("authorization")).isEqualTo("Bearer " + kept);
        assertThat(messages.get(4).header("authorization")).isNotEqualTo("Bearer " + kept);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 4, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        assertThat(db.count("SELECT max(attempts) FROM deliveries")).as("the refusal cost no attempt").isEqualTo(1);
    }

    @Test
    void a_token_endpoint_that_is_down_fails_the_attempt_which_is_tried_again() {
        endpointDown = true;
        create();
        recordProjectCreated(1);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE attempts = 1 AND status = 'pending'") == 1, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        assertThat((String) db.value("SELECT last_error FROM deliveries")).contains("token endpoint answered HTTP 503");
        assertThat(receiver.requests("/hook")).as("nothing sent without a token").isEmpty();

        endpointDown = false; // the schedule's next step is 5 s away
        receiver.awaitRequests("/hook", 1, WAIT);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 1, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
    }

    @Test
    void the_client_is_refused_naming_the_field_kept_when_headers_change_and_removed_with_an_empty_one() {
        refused(Map.of("type", "basic"), "auth.type");
        refused(Map.of("type", "oauth2", "tokenUrl", tokenEndpoint.url("/token"), "clientId", CLIENT_ID), "auth.clientSecret");
        refused(Map.of("type", "oauth2", "tokenUrl", "ftp://auth.example/token", "clientId", CLIENT_ID, "clientSecret", "s"),
                "auth.tokenUrl");
        Map<String, Object> both = body();
        both.put("headers", Map.of("Authorization", "Basic eDp5"));
        acme.given().body(both).when().post("/api/webhooks").then().statusCode(400).body("field", equalTo("auth"));

        UUID webhook = create();
        acme.given().body(Map.of("headers", Map.of("X-Team", "ops"))).when().patch("/api/webhooks/" + webhook).then()
                .statusCode(200).body("auth.type", equalTo("oauth2")).body("headerNames", equalTo(List.of("X-Team")));
        String cleared = acme.given().body(Map.of("auth", Map.of())).when().patch("/api/webhooks/" + webhook).then()
                .statusCode(200).extract().asString();
        assertThat(JsonPath.from(cleared).getString("auth")).isNull();
        assertThat(JsonPath.from(cleared).getList("headerNames")).containsExactly("X-Team");
    }

    private void refused(Map<String, String> auth, String field) {
        Map<String, Object> body = body();
        body.put("auth", auth);
        acme.given().body(body).when().post("/api/webhooks").then().statusCode(400).body("field", equalTo(field));
    }

    private UUID create() {
        return UUID.fromString(acme.given().body(body()).when().post("/api/webhooks").then().statusCode(201).extract().path("id"));
    }

    private Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put("url", receiver.url("/hook"));
        body.put("eventTypes", List.of("project:created"));
        body.put("auth", Map.of("type", "oauth2", "tokenUrl", tokenEndpoint.url("/token"), "clientId", CLIENT_ID,
                "clientSecret", CLIENT_SECRET, "scope", "webhooks:write"));
        return body;
    }

}
