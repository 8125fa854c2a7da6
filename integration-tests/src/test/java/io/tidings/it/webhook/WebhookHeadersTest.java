package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.TenantReceiverTest;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * A receiver behind a gateway gets the headers its webhook asks for (a key of its own, HTTP Basic)
 * with every message; the API shows their names, never their values, and refuses the ones that are
 * Tidings' or the connection's.
 */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class WebhookHeadersTest extends TenantReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY = "gateway-key-7f3a";
    private static final String BASIC = "Basic c2hvcDpvcGVuLXNlc2FtZQ==";

    @Test
    void every_message_carries_the_webhooks_headers_whose_values_are_never_shown() {
        String created = acme.given().body(Map.of("url", receiver.url("/gateway"), "eventTypes", List.of("project:*"),
                "headers", Map.of("X-Api-Key", KEY, "Authorization", BASIC)))
                .when().post("/api/webhooks").then().statusCode(201).body("headerNames", contains("Authorization", "X-Api-Key"))
                .extract().asString();
        assertThat(created).doesNotContain(KEY, BASIC);
        String id = io.restassured.path.json.JsonPath.from(created).getString("id");
        assertThat(acme.given().get("/api/webhooks/" + id).then().statusCode(200).extract().asString()).doesNotContain(KEY, BASIC);
        assertThat(db.value("SELECT sealed_credentials FROM subscribers WHERE id = ?::uuid", id).toString()).doesNotContain(KEY);

        recordProjectCreated(1);
        Request message = receiver.awaitRequests("/gateway", 1, WAIT).get(0);
        assertThat(message.header("X-Api-Key")).isEqualTo(KEY);
        assertThat(message.header("Authorization")).isEqualTo(BASIC);
        assertThat(message.signature()).startsWith("v1,");

        acme.given().body(Map.of("headers", Map.of())).when().patch("/api/webhooks/" + id).then().statusCode(200)
                .body("headerNames", equalTo(List.of()));
        recordProjectCreated(1);
        Request after = receiver.awaitRequests("/gateway", 2, WAIT).get(1);
        assertThat(after.header("X-Api-Key")).isNull();
        assertThat(after.header("Authorization")).isNull();
    }

    @Test
    void headers_that_are_tidings_or_the_connections_are_refused_naming_them() {
        refused(Map.of("webhook-id", "x"), "headers.webhook-id");
        refused(Map.of("Host", "evil.example"), "headers.Host");
        refused(Map.of("Tidings-Schema-Version", "9"), "headers.Tidings-Schema-Version");
        refused(Map.of("Content-Length", "1"), "headers.Content-Length");
        refused(Map.of("traceparent", "00-x"), "headers.traceparent");
        refused(Map.of("X-Split", "a\r\nInjected: yes"), "headers.X-Split");
        refused(Map.of("bad name", "x"), "headers");
        refused(Map.of("X-Key", "a", "x-key", "b"), "headers");
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE tenant_id = ?", acme.id())).isZero();
    }

    private void refused(Map<String, String> headers, String field) {
        acme.given().body(Map.of("url", receiver.url("/gateway"), "eventTypes", List.of("project:*"), "headers", headers))
                .when().post("/api/webhooks").then().statusCode(400).body("field", equalTo(field));
    }

}
