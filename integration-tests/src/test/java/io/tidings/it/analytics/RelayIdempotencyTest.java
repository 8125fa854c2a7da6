package io.tidings.it.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tidings.it.support.EmptyDatabaseTest;

/** A batch the browser sends again under its Idempotency-Key, because the answer was lost, is recorded once. */
@QuarkusTest
@TestProfile(EmitterBrowserTest.GenerousRelay.class)
class RelayIdempotencyTest extends EmptyDatabaseTest {

    private static final String TWO = "[{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"projects\"}}},"
            + "{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"webhooks\"}}}]";
    private static final String OTHER = "[{\"event\":\"client:screen_viewed\",\"properties\":{\"screen\":{\"name\":\"job\"}}}]";

    @Test
    void a_batch_sent_again_under_its_key_is_accepted_and_recorded_once() {
        post(TWO, "batch-1").statusCode(202).body("accepted", equalTo(2));
        post(TWO, "batch-1").statusCode(202).body("accepted", equalTo(2));
        assertThat(clientEvents()).isEqualTo(2);

        post(TWO, "batch-2").statusCode(202);
        post(TWO, null).statusCode(202);
        assertThat(clientEvents()).as("another key, and no key, record").isEqualTo(6);
    }

    @Test
    void a_beacon_carries_its_key_in_the_query() {
        beacon(TWO, "batch-3").statusCode(202);
        beacon(TWO, "batch-3").statusCode(202);
        post(TWO, "batch-3").statusCode(202);
        assertThat(clientEvents()).isEqualTo(2);
    }

    @Test
    void a_key_used_for_another_batch_is_a_conflict_and_records_nothing_more() {
        post(TWO, "batch-4").statusCode(202);
        post(OTHER, "batch-4").statusCode(409).body("field", equalTo("Idempotency-Key"));
        assertThat(clientEvents()).isEqualTo(2);
    }

    @Test
    void an_overlong_key_is_refused() {
        post(OTHER, "k".repeat(201)).statusCode(400).body("field", equalTo("Idempotency-Key"));
        assertThat(clientEvents()).isZero();
    }

    private static ValidatableResponse post(String body, String key) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/analytics").then();
    }

    private static ValidatableResponse beacon(String body, String key) {
        return given().contentType("text/plain").body(body).queryParam("idempotency_key", key).when().post("/api/analytics").then();
    }

    private long clientEvents() {
        return db.count("SELECT count(*) FROM events WHERE type = 'client:screen_viewed'");
    }
}
