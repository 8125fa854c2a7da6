package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.ReceiverTest;
import io.tidings.support.SilentNameServer;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.Tenants.Tenant;
import io.tidings.it.support.WebhookReceiver;

/** With private targets refused, as in production: internal URLs are refused when saved and when sent to. */
@QuarkusTest
@TestProfile(SsrfTest.StrictTargets.class)
class SsrfTest extends ReceiverTest {

    public static class StrictTargets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.webhooks.allow-private-targets", "false", "tidings.worker.enabled", "true",
                    "tidings.delivery.connect-timeout", "500ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SilentDns.class));
        }
    }

    /** The webhooks' name server, which never answers: names in the hosts file and address literals still resolve. */
    public static class SilentDns implements QuarkusTestResourceLifecycleManager {
        private SilentNameServer server;

        @Override
        public Map<String, String> start() {
            server = new SilentNameServer();
            return Map.of("tidings.webhooks.dns-servers", server.hostAndPort());
        }

        @Override
        public void stop() {
            server.close();
        }
    }

    @Inject
    Outbox outbox;

    Tenant acme;

    @BeforeEach
    void setUp() {
        acme = Tenants.create("Acme");
    }

    @Test
    void internal_urls_are_refused_when_a_webhook_is_saved() {
        for (String url : List.of("http://127.0.0.1/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/hook", "http://localhost/hook", "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/")) {
            acme.given().body(Map.of("url", url, "eventTypes", List.of("*"))).when().post("/api/webhooks")
                    .then().statusCode(400).body("field", equalTo("url")).body("error", containsString("is not allowed"))
                    .body("error", not(containsString("127.0"))).body("error", not(containsString("::1")));
        }
        assertThat(db.count("SELECT count(*) FROM subscribers WHERE kind = 'webhook'")).isZero();
    }

    @Test
    void a_host_whose_name_server_never_answers_is_refused_when_saved_after_the_connect_timeout() throws Exception {
        CompletableFuture<Void> save = CompletableFuture.runAsync(() -> acme.given()
                .body(Map.of("url", "http://hanging.example/hook", "eventTypes", List.of("*"))).when().post("/api/webhooks")
                .then().statusCode(400).body("field", equalTo("url"))
                .body("error", equalTo("The URL has a host whose address lookup took too long")));
        // A lookup that hangs must not hold a database connection: many such saves would drain the pool.
        long heldWhileLookingUp = 0;
        while (!save.isDone()) {
            heldWhileLookingUp = Math.max(heldWhileLookingUp, db.count("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE state = 'idle in transaction' AND query ILIKE '%from subscribers%'"));
            Thread.sleep(10);
        }
        save.join();
        assertThat(heldWhileLookingUp).as("connections held in a transaction during the lookup").isZero();
    }

    @Test
    void a_stored_url_that_now_points_inside_is_refused_before_any_request_is_sent() {
        db.webhook(receiver.url("/hook"), true, "*");

        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create("Apollo", null, Instant.now()))));

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM delivery_attempts") == 1, Duration.ofSeconds(20),
                () -> "no attempt recorded");
        assertThat((String) db.value("SELECT error FROM delivery_attempts")).contains("is not allowed").doesNotContain("127.0.0.1");
        assertThat(receiver.requests()).isEmpty();
    }
}
