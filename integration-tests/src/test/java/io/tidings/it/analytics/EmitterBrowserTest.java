package io.tidings.it.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidings.it.support.Browser;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.WebhookReceiver;

/** tidings.js in a real headless Chromium, against the relay of a running application. */
@QuarkusTest
@TestProfile(EmitterBrowserTest.GenerousRelay.class)
class EmitterBrowserTest extends EmptyDatabaseTest {

    /** The tests send from one address faster than the default 60 a minute. */
    public static class GenerousRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.analytics.relay-per-minute", "10000");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SCREEN = "{screen: {name: 'projects'}, load_ms: 120}";

    @TestHTTPResource("/test/emitter.html")
    String page;
    private ChromeDriver browser;

    @BeforeEach
    void openPage() {
        browser = Browser.start();
        open("");
        browser.executeScript("localStorage.clear()");
        open("");
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void the_module_is_served_small_with_a_javascript_type() {
        String script = given().get("/tidings.js").then().statusCode(200)
                .header("content-type", org.hamcrest.Matchers.containsString("javascript")).extract().asString();
        assertThat(script.length()).as("bytes, unminified").isLessThan(5 * 1024);
        given().get("/api/analytics/config").then().statusCode(200).body("consentRequired", equalTo(true))
                .body("maxBatch", equalTo(50));
    }

    @Test
    void nothing_is_sent_before_consent_and_the_queue_goes_in_one_batch_after_it() throws Exception {
        for (int i = 0; i < 3; i++) {
            browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");
        }
        Thread.sleep(1000); // five intervals
        assertThat(posts()).as("requests before consent").isEmpty();
        assertThat(clientEvents()).isZero();

        browser.executeScript("tidings.consent(true)");

        WebhookReceiver.await(() -> clientEvents() == 3, WAIT, () -> "calls: " + calls());
        assertThat(posts()).extracting(call -> ((Number) call.get("events")).intValue()).containsExactly(3);
        open("");
        assertThat(browser.executeScript("return localStorage.getItem('tidings.consent')")).isEqualTo("granted");
        Browser.screenshot(browser, "emitter");
    }

    @Test
    void withdrawn_consent_clears_the_queue_and_is_remembered() throws Exception {
        browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");
        browser.executeScript("tidings.consent(false)");
        assertThat(browser.executeScript("return tidings.pending()")).isEqualTo(0L);
        open("");
        browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");
        Thread.sleep(600);
        assertThat(browser.executeScript("return tidings.pending()")).isEqualTo(0L);
        assertThat(clientEvents()).isZero();
    }

    @Test
    void a_hidden_page_sends_what_waits_with_one_beacon() {
        open("?interval=600000");
        browser.executeScript("tidings.consent(true)");
        for (int i = 0; i < 3; i++) {
            browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");
        }
        assertThat(posts()).isEmpty();

        browser.executeScript("Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
                + "document.dispatchEvent(new Event('visibilitychange', {bubbles: true}))");

        WebhookReceiver.await(() -> clientEvents() == 3, WAIT, () -> "calls: " + calls());
        assertThat(calls()).filteredOn(call -> "beacon".equals(call.get("via"))).hasSize(1);
    }

    @Test
    void a_503_is_retried_after_its_retry_after() {
        browser.executeScript("tidings.consent(true); window.failNext = 1");
        browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");

        WebhookReceiver.await(() -> clientEvents() == 1, WAIT, () -> "calls: " + calls());
        assertThat(posts()).hasSize(2);
    }

    @Test
    void a_batch_whose_answer_was_lost_goes_again_under_its_key_and_is_recorded_once() throws Exception {
        browser.executeScript("tidings.consent(true); window.loseNext = 1");
        browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");
        browser.executeScript("tidings.track('client:screen_viewed', " + SCREEN + ")");

        WebhookReceiver.await(() -> posts().size() == 2 && (Long) browser.executeScript("return tidings.pending()") == 0L, WAIT,
                () -> "calls: " + calls());
        assertThat(posts()).extracting(call -> call.get("key")).doesNotContainNull().containsOnly(posts().get(0).get("key"));
        assertThat(clientEvents()).isEqualTo(2);
    }

    @Test
    void what_the_relay_refuses_is_dropped_and_reported() {
        browser.executeScript("tidings.consent(true)");
        browser.executeScript("tidings.track('client:screen_viewed', {screen: {name: '/home/ada/secret.txt'}})");

        WebhookReceiver.await(() -> browser.executeScript("return window.rejected") != null, WAIT, () -> "calls: " + calls());
        assertThat((String) browser.executeScript("return window.rejected")).contains("screen");
        assertThat(browser.executeScript("return tidings.pending()")).isEqualTo(0L);
        assertThat(clientEvents()).isZero();
    }

    private void open(String query) {
        browser.get(page + query);
        WebhookReceiver.await(() -> Boolean.TRUE.equals(browser.executeScript("return window.ready === true")), WAIT,
                () -> "tidings.js did not load");
        // The relay's configuration arrives before the test acts, as it does before a user does.
        browser.executeAsyncScript("tidings.consentRequired().then(arguments[arguments.length - 1])");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> calls() {
        return (List<Map<String, Object>>) browser.executeScript("return window.calls");
    }

    private List<Map<String, Object>> posts() {
        return calls().stream().filter(call -> "fetch".equals(call.get("via")) && ((Number) call.get("events")).intValue() > 0).toList();
    }

    private long clientEvents() {
        return db.count("SELECT count(*) FROM events WHERE type = 'client:screen_viewed'");
    }
}
