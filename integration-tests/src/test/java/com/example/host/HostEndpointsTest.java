package com.example.host;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Tidings embedded in an application that has endpoints, authentication and error handling of its own. */
@QuarkusTest
class HostEndpointsTest {

    @Test
    void the_hosts_own_bearer_token_reaches_its_endpoint_untouched() {
        given().auth().oauth2(HostResource.TOKEN).when().get("/host/me").then().statusCode(200).body("host", equalTo("hello"));
        given().auth().oauth2("not-a-tidings-key").when().get("/host/me").then().statusCode(401).body("host", equalTo("who are you?"));
    }

    @Test
    void the_hosts_validation_errors_are_quarkus_own_report() {
        given().contentType(ContentType.JSON).body("{\"name\":\"\"}").when().post("/host/things")
                .then().statusCode(400).body("title", equalTo("Constraint Violation")).body("violations[0].field", containsString("name"));
    }

    @Test
    void the_hosts_json_may_carry_what_tidings_refuses_in_its_own() {
        given().contentType(ContentType.JSON).body("{\"name\":\"bell\\u0007\"}").when().post("/host/things")
                .then().statusCode(200).body("name", equalTo("bell\u0007"));
        given().contentType(ContentType.JSON).body("{\"name\":\"bell\\u0007\"}").header("Authorization", "Bearer test-admin-key-0123456789abcdef-0123456789")
                .when().post("/api/tenants").then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void the_hosts_own_error_responses_pass_through() {
        given().when().get("/host/teapot").then().statusCode(418).body(equalTo("short and stout"));
        given().when().get("/host/nowhere").then().statusCode(404).body(not(containsString("\"status\"")));
        given().when().get("/api/webhooks/x/y/z").then().statusCode(404).body("status", equalTo(404));
    }
}
