package io.tidings.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.it.support.Browser;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;

/** The console in a real headless Chromium, with a running worker and a real receiver. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class ConsoleBrowserTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>";

    @TestHTTPResource("/console")
    String console;
    private ChromeDriver browser;
    private Tenant acme;

    @BeforeEach
    void openBrowser() {
        acme = Tenants.create("Acme");
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void a_tenant_creates_a_webhook_sends_a_test_sees_the_attempt_and_retries_it() {
        signIn(acme.key());
        assertThat(browser.getCurrentUrl()).endsWith("/console/webhooks");
        browser.findElement(By.id("url")).sendKeys(receiver.url("/console"));
        browser.findElement(By.id("eventTypes")).clear();
        browser.findElement(By.id("eventTypes")).sendKeys("project:*");
        browser.findElement(By.id("description")).sendKeys(XSS);
        submit(By.cssSelector("form[action='/console/webhooks'] button[type=submit]"));
        assertThat(browser.findElement(By.id("secret")).getDomProperty("value")).startsWith("whsec_");
        Browser.screenshot(browser, "console-secret");

        browser.findElement(By.linkText("Go to the webhook")).click();
        submit(By.xpath("//button[text()='Send a test message']"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("test message is on its way");
        receiver.awaitRequests("/console", 1, WAIT);
        WebElement delivery = awaitOnReload(By.cssSelector("td .status-delivered"));
        Browser.screenshot(browser, "console-webhook");

        delivery.findElement(By.xpath("../preceding-sibling::td/a")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("webhook:test");
        List<WebElement> attempts = browser.findElements(By.cssSelector("tr.attempt"));
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).getText()).contains("204");
        Browser.screenshot(browser, "console-delivery");

        submit(By.xpath("//button[text()='Retry now']"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("back in the queue");
        receiver.awaitRequests("/console", 2, WAIT);
        awaitOnReload(By.xpath("//tr[@class='attempt'][2]"));
    }

    @Test
    void a_description_with_markup_stays_text_and_runs_nothing() {
        acme.given().body(java.util.Map.of("url", receiver.url("/x"), "eventTypes", List.of("*"), "description", XSS))
                .post("/api/webhooks").then().statusCode(201);
        signIn(acme.key());
        WebElement cell = browser.findElement(By.xpath("//tbody/tr/td[2]"));
        assertThat(cell.getText()).isEqualTo(XSS);
        assertThat(browser.findElements(By.cssSelector("tbody img"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void a_form_posted_without_its_csrf_token_is_refused() {
        String webhook = acme.webhook(receiver.url("/x"), "*").toString();
        signIn(acme.key());
        browser.get(console + "/webhooks/" + webhook);
        // what a forged form from elsewhere would be: the same fields, without this session's token
        browser.executeScript("document.querySelectorAll('input[name=csrf]').forEach(input => input.remove())");
        submit(By.xpath("//button[text()='Disable']"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This form was refused");
        assertThat(acme.given().get("/api/webhooks/" + webhook).then().extract().<Boolean>path("enabled")).isTrue();
    }

    @Test
    void every_field_has_a_label_and_a_phone_needs_no_sideways_scrolling() {
        acme.webhook(receiver.url("/a-rather-long-path/that/goes/on/and/on/for/a/while/on/a/narrow/screen"), "*");
        signIn(acme.key());
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        Object unlabelled = browser.executeScript("return [...document.querySelectorAll('input:not([type=hidden]), select')]"
                + ".filter(field => field.labels.length === 0).map(field => field.name)");
        assertThat((List<?>) unlabelled).isEmpty();
        Object overflow = browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
        Browser.screenshot(browser, "console-webhooks-phone");
    }

    @Test
    void the_operator_sees_the_outbox_and_tenants() {
        signIn(Tenants.adminKey());
        assertThat(browser.getCurrentUrl()).endsWith("/console/outbox");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Outbox");
        Browser.screenshot(browser, "console-outbox");
        browser.findElement(By.linkText("Tenants and keys")).click();
        browser.findElement(By.linkText("Acme")).click();
        submit(By.xpath("//button[text()='Issue key']"));
        assertThat(browser.findElement(By.id("new-key")).getDomProperty("value")).startsWith("tdk_");
    }

    @Test
    void a_tour_of_every_page_keeps_a_screenshot_of_each() {
        String webhook = acme.webhook(receiver.url("/tour"), "project:*").toString();
        browser.get(console + "/sign-in");
        Browser.screenshot(browser, "console-sign-in");
        signIn(acme.key());
        Browser.screenshot(browser, "console-webhooks");
        browser.findElement(By.linkText("Event types")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Event types");
        Browser.screenshot(browser, "console-event-types");
        browser.get(console + "/webhooks/" + webhook);
        browser.findElement(By.xpath("//summary[text()='Edit']")).click();
        assertThat(browser.findElement(By.id("url")).isDisplayed()).as("the edit form opens in place").isTrue();
        Browser.screenshot(browser, "console-webhook-edit");
        browser.findElement(By.partialLinkText("Delete this webhook")).click();
        Browser.screenshot(browser, "console-delete-webhook");
        browser.get(console + "/deliveries/" + UUID.randomUUID());
        Browser.screenshot(browser, "console-not-found");
        submit(By.xpath("//button[text()='Sign out']"));

        signIn(Tenants.adminKey());
        assertThat(browser.findElement(By.cssSelector("figure")).getText()).contains("once a minute on this instance");
        Browser.screenshot(browser, "console-outbox");
        browser.findElement(By.linkText("Tenants and keys")).click();
        Browser.screenshot(browser, "console-tenants");
        browser.findElement(By.linkText("Acme")).click();
        Browser.screenshot(browser, "console-tenant");
    }

    private void signIn(String key) {
        browser.get(console + "/sign-in");
        browser.findElement(By.id("key")).sendKeys(key);
        submit(By.cssSelector("button[type=submit]"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // Waits for the page the form leads to: read at once, the old page could still be there, or none.
    private void submit(By button) {
        WebElement pressed = browser.findElement(button);
        pressed.click();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!stale(pressed)) {
            assertThat(System.nanoTime()).as("a new page after pressing %s", button).isLessThan(deadline);
            sleep(50);
        }
    }

    private static boolean stale(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            // Asked while the old document is being replaced, Chrome says so in words of its own.
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    private WebElement awaitOnReload(By element) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            browser.navigate().refresh();
            List<WebElement> found = browser.findElements(element);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            assertThat(System.nanoTime()).as("%s on %s within %s", element, browser.getCurrentUrl(), WAIT).isLessThan(deadline);
            sleep(300);
        }
    }
}
