package io.tidings.it.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A browser's side of the console over plain HTTP: its cookies, and the CSRF token of the last page. */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private String session;
    private String csrf;

    /** Signs in with the key, through the sign-in form, as a browser would. */
    static ConsoleClient signIn(String key) {
        ConsoleClient client = new ConsoleClient();
        Response form = given().redirects().follow(false).get("/console/sign-in");
        String formCookie = form.getCookie("tidings_console_sign_in");
        Response signedIn = given().redirects().follow(false).cookie("tidings_console_sign_in", formCookie)
                .formParam("csrf", csrfOf(form.asString())).formParam("key", key)
                .post("/console/sign-in");
        assertThat(signedIn.statusCode()).as(signedIn.asString()).isEqualTo(303);
        client.session = signedIn.getCookie("tidings_console");
        assertThat(client.session).isNotBlank();
        return client;
    }

    RequestSpecification request() {
        return given().redirects().follow(false).cookie("tidings_console", session);
    }

    /** Loads the page and keeps its CSRF token for the next form. */
    Response get(String path) {
        Response page = request().get(path);
        Matcher token = CSRF.matcher(page.asString());
        if (token.find()) {
            csrf = token.group(1);
        }
        return page;
    }

    /** Posts a form with the CSRF token of the last page loaded. */
    Response post(String path, Map<String, ?> fields) {
        return request().formParams(fields).formParam("csrf", csrf).post(path);
    }

    /** Posts a form as a forged one would come: everything but the token. */
    Response postWithoutToken(String path, Map<String, ?> fields) {
        return request().formParams(fields).post(path);
    }

    String session() {
        return session;
    }

    private static String csrfOf(String html) {
        Matcher token = CSRF.matcher(html);
        assertThat(token.find()).as("a csrf field in " + html).isTrue();
        return token.group(1);
    }
}
