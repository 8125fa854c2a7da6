package io.tidings.it.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.support.SilentNameServer;
import io.tidings.it.support.TricklingReceiver;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;

/**
 * The packaged service among receivers that misbehave in every way at once: one answers NUL and
 * invalid UTF-8, two trickle their headers or body in forever, twenty hosts' DNS never answers, and
 * a disabled webhook holds pending rows. A healthy webhook beside them receives every event, the
 * hostile ones are recorded for what they did, and the disabled one's rows wait until it is enabled.
 */
class HostileShapesIT {

    private static final int EVENTS = 5;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void a_healthy_webhook_is_served_among_hostile_receivers_hanging_dns_and_a_disabled_webhook() throws Exception {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start();
                TricklingReceiver headers = new TricklingReceiver(TricklingReceiver.Mode.HEADERS);
                TricklingReceiver body = new TricklingReceiver(TricklingReceiver.Mode.BODY);
                SilentNameServer dns = new SilentNameServer();
                ServiceProcess service = ServiceProcess.start("hostile", database.jdbcUrl(), Map.of(
                        "tidings.delivery.timeout", "1s", "tidings.delivery.connect-timeout", "500ms",
                        "tidings.webhooks.dns-servers", dns.hostAndPort()))) {
            receiver.replyWith(request -> request.path().equals("/nul")
                    ? Reply.status(200).withBytes("ok\0\u00ff".getBytes(StandardCharsets.ISO_8859_1)) : Reply.status(204));
            var sql = database.sql();
            // project:* rather than *: the failing ones' webhook:failing notices would reach the others too
            sql.webhook(receiver.url("/healthy"), true, "project:*");
            UUID nul = sql.webhook(receiver.url("/nul"), true, "project:*");
            sql.webhook(headers.url("/headers"), true, "project:*");
            sql.webhook(body.url("/body"), true, "project:*");
            for (int i = 0; i < 20; i++) {
                sql.webhook("http://hanging-" + i + ".invalid/hook", true, "project:*");
            }
            UUID disabled = sql.webhook(receiver.url("/disabled"), true, "project:*");
            sql.update("UPDATE subscribers SET enabled = false, disabled_at = now() WHERE id = ?", disabled);
            sql.update("INSERT INTO events (id, kind, type, occurred_at) VALUES (gen_random_uuid(), 'project', 'project:created', now())");
            sql.update("INSERT INTO deliveries (event_id, subscriber_id, payload) SELECT id, ?, '{}' FROM events", disabled);

            for (int i = 0; i < EVENTS; i++) {
                service.post("/api/projects", "{\"name\":\"P" + i + "\"}");
            }

            receiver.awaitRequests("/healthy", EVENTS, WAIT);
            WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'delivered'",
                    nul) == EVENTS, WAIT, () -> "NUL answers: " + sql.rows("SELECT status, last_error FROM deliveries WHERE subscriber_id = ?", nul));
            WebhookReceiver.await(() -> attempts(sql, "error LIKE 'timed out after%'") >= 2L * EVENTS, WAIT,
                    () -> "trickling receivers' attempts: " + attempts(sql, "error LIKE 'timed out after%'"));
            WebhookReceiver.await(() -> attempts(sql, "error LIKE '%address lookup took too long%' OR error LIKE '%does not resolve%'")
                    >= 20L * EVENTS, WAIT, () -> "hanging hosts' attempts: " + sql.rows("SELECT error, count(*) FROM delivery_attempts GROUP BY 1"));
            assertThat(dns.queries()).as("the hanging hosts were asked for").isPositive();
            assertThat(receiver.requests("/nul")).as("each sent once").hasSize(EVENTS);
            assertThat(receiver.requests("/disabled")).as("parked").isEmpty();
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'pending'", disabled)).isEqualTo(1);

            sql.update("UPDATE subscribers SET enabled = true, disabled_at = NULL WHERE id = ?", disabled);
            receiver.awaitRequests("/disabled", 1, WAIT);
            assertThat(service.status("/q/health/live")).isEqualTo(200);
        }
    }

    private static long attempts(io.tidings.it.support.Sql sql, String condition) {
        return sql.count("SELECT count(*) FROM delivery_attempts WHERE " + condition);
    }
}
