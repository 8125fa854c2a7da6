package io.tidings.it.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;

/** Guessing keys at the sign-in form is limited per address. */
@QuarkusTest
@TestProfile(ConsoleSignInLimitTest.FewSignIns.class)
class ConsoleSignInLimitTest extends EmptyDatabaseTest {

    public static class FewSignIns implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.console.sign-ins-per-minute", "3");
        }
    }

    @Test
    void after_the_limit_even_the_right_key_waits_a_minute() {
        String key = Tenants.create("acme").key();
        for (int i = 0; i < 3; i++) {
            assertThat(signIn("tdk_guess" + i).statusCode()).isEqualTo(401);
        }
        Response refused = signIn(key);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.getCookie("tidings_console")).isNull();
    }

    private static Response signIn(String key) {
        Response form = given().get("/console/sign-in");
        String token = form.getCookie("tidings_console_sign_in");
        return given().redirects().follow(false).cookie("tidings_console_sign_in", token)
                .formParam("csrf", token).formParam("key", key).post("/console/sign-in");
    }
}
