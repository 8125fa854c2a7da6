package io.tidings.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tidings.it.support.Browser;
import io.tidings.it.support.FreePorts;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;

/**
 * A host application hands its user into the console with a portal link, inside a frame on its own
 * origin: the user manages the tenant's webhooks without an API key, and a form forged on a third
 * origin, framed beside it, is refused although the browser sends the session's cookie.
 */
@QuarkusTest
@TestProfile(ConsolePortalTest.Framed.class)
class ConsolePortalTest extends ReceiverTest {

    // The host application's page; a third origin forges forms. Both on 127.0.0.1, the console on localhost: other sites.
    private static final int HOST_PORT = FreePorts.next();
    private static final int FORGER_PORT = FreePorts.next();
    private static final String HOST = "http://127.0.0.1:" + HOST_PORT;
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class Framed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.console.frame-ancestors", HOST + ",https://app.example.com");
        }
    }

    @TestHTTPResource("/console")
    String console;
    private Tenant acme;
    private ChromeDriver browser;
    private HttpServer host;
    private HttpServer forger;
    private volatile String link;

    @BeforeEach
    void startPages() {
        acme = Tenants.create("Acme");
        host = page(HOST_PORT, () -> "<h1>Acme's settings</h1><iframe id=portal width=1100 height=700 src='" + link + "'></iframe>"
                + "<iframe id=forger width=600 height=300 src='http://127.0.0.1:" + FORGER_PORT + "/'></iframe>");
        forger = page(FORGER_PORT, () -> "<form method=post action='" + console + "/webhooks'>"
                + "<input name=url value='" + receiver.url("/forged") + "'><input name=eventTypes value='*'>"
                + "<button id=forge type=submit>Win a prize</button></form>");
    }

    @AfterEach
    void stopPages() {
        if (browser != null) {
            browser.quit();
        }
        host.stop(0);
        forger.stop(0);
    }

    @Test
    void a_framed_portal_link_signs_a_user_in_for_one_tenant_and_a_forged_form_beside_it_is_refused() {
        link = issueLink(acme.id());
        browser = Browser.start();
        browser.get(HOST + "/");
        browser.switchTo().frame("portal");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Webhooks of Acme");
        browser.findElement(By.xpath("//button[text()='Open']")).click();
        awaitTrue(() -> browser.findElement(By.tagName("h1")).getText().equals("Webhooks"), "the tenant's webhooks in the frame");
        browser.findElement(By.id("url")).sendKeys(receiver.url("/portal"));
        browser.findElement(By.id("eventTypes")).clear();
        browser.findElement(By.id("eventTypes")).sendKeys("project:*");
        browser.findElement(By.cssSelector("form[action='/console/webhooks'] button[type=submit]")).click();
        awaitTrue(() -> !browser.findElements(By.id("secret")).isEmpty(), "the new webhook's secret in the frame");
        browser.findElement(By.linkText("Go to the webhook")).click();
        awaitTrue(() -> browser.findElement(By.tagName("h1")).getText().equals("Webhook"), "the webhook's page in the frame");
        browser.switchTo().defaultContent();
        Browser.screenshot(browser, "console-portal-framed");
        assertThat(webhookUrls()).as("created for the link's tenant").isEqualTo("[" + receiver.url("/portal") + "]");

        browser.switchTo().frame("forger");
        browser.findElement(By.id("forge")).click();
        awaitTrue(() -> browser.findElements(By.id("forge")).isEmpty(), "the forged form's answer");
        assertThat(browser.findElement(By.tagName("h1")).getText()).as("refused by its missing token, not for want of a session")
                .isEqualTo("This form was refused");
        assertThat(webhookUrls()).isEqualTo("[" + receiver.url("/portal") + "]");
    }

    @Test
    void a_link_is_spent_by_its_page_s_form_once_and_only_the_admin_key_issues_one() {
        String url = issueLink(acme.id());
        assertThat(url).startsWith(console + "/portal/");
        String token = url.substring(url.lastIndexOf('/') + 1);
        RestAssured.given().get(url).then().statusCode(200).body(containsString("Webhooks of Acme"));
        io.restassured.response.Response page = RestAssured.given().get(url); // a prefetch, or a second look, spends nothing
        String csrf = page.htmlPath().getString("html.body.main.form.input.find { it.@name == 'csrf' }.@value");
        String formCookie = page.getCookie("tidings_console_sign_in");

        RestAssured.given().redirects().follow(false).formParam("token", token).formParam("csrf", "forged")
                .cookie("tidings_console_sign_in", formCookie).post(console + "/portal").then().statusCode(403);
        RestAssured.given().redirects().follow(false).formParam("token", token).formParam("csrf", csrf)
                .cookie("tidings_console_sign_in", formCookie).post(console + "/portal").then().statusCode(303)
                .header("Location", endsWithPath("/console/webhooks"))
                .header("Set-Cookie", containsString("SameSite=None; Partitioned"));
        RestAssured.given().redirects().follow(false).formParam("token", token).formParam("csrf", csrf)
                .cookie("tidings_console_sign_in", formCookie).post(console + "/portal").then().statusCode(410)
                .body(containsString("This link was used or has expired"));
        RestAssured.given().get(url).then().statusCode(410);
        RestAssured.given().get(console + "/portal/not-a-link").then().statusCode(410);

        acme.given().post("/api/tenants/" + acme.id() + "/portal-links").then().statusCode(403);
        Tenants.admin().post("/api/tenants/" + UUID.randomUUID() + "/portal-links").then().statusCode(404);
    }

    @Test
    void only_the_listed_origins_may_frame_the_console() {
        RestAssured.given().redirects().follow(false).get(console + "/sign-in").then()
                .header("Content-Security-Policy", containsString("frame-ancestors " + HOST + " https://app.example.com;"))
                .header("X-Frame-Options", equalTo(null));
    }

    private String issueLink(UUID tenant) {
        String url = Tenants.admin().post("/api/tenants/" + tenant + "/portal-links").then().statusCode(201)
                .body("url", startsWith("http")).extract().path("url");
        Instant expiresAt = Instant.parse(Tenants.admin().post("/api/tenants/" + tenant + "/portal-links").then()
                .extract().path("expiresAt"));
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(601));
        return url;
    }

    private static org.hamcrest.Matcher<String> endsWithPath(String path) {
        return org.hamcrest.Matchers.endsWith(path);
    }

    private String webhookUrls() {
        return db.rows("SELECT target ->> 'url' AS url FROM subscribers WHERE tenant_id = ?", acme.id()).stream()
                .map(row -> row.get("url")).toList().toString();
    }

    private void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static HttpServer page(int port, Supplier<String> body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", exchange -> {
                byte[] html = ("<!DOCTYPE html><html><body>" + body.get() + "</body></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, html.length);
                exchange.getResponseBody().write(html);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
