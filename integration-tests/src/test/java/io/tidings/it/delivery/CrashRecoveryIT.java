package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.Sql;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * kill -9 while the receiver holds requests open: the next instance takes the deliveries over when
 * their lease runs out, and every event arrives, the resent ones under the same message id.
 */
class CrashRecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> CONFIG = Map.of(
            "tidings.worker.lease", "5s",
            "tidings.worker.poll-interval", "1s",
            "tidings.worker.max-in-flight-per-subscriber", "4",
            "tidings.delivery.timeout", "2s",
            "tidings.delivery.connect-timeout", "500ms");

    @Test
    void every_event_arrives_after_a_crash_mid_send_and_duplicates_keep_their_message_id() {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            Sql sql = database.sql();
            CountDownLatch held = new CountDownLatch(1);
            receiver.replyWith(request -> Reply.status(204).heldUntil(held));

            List<String> events;
            try (ServiceProcess first = ServiceProcess.start("crash-first", database.jdbcUrl(), CONFIG)) {
                sql.webhook(receiver.url("/hook"), true, "*");
                for (int i = 0; i < 10; i++) {
                    first.post("/api/projects", "{\"name\":\"Project " + i + "\"}");
                }
                events = sql.rows("SELECT id::text AS id FROM events").stream().map(r -> (String) r.get("id")).toList();
                receiver.awaitRequests("/hook", 4, WAIT);

                first.kill();
            }
            // the four held open, and any a claim had queued behind them in the webhook's lane (the
            // receiver saw four: those alone are sent twice, as the request count below checks)
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE status = 'in_flight'")).isGreaterThanOrEqualTo(4);
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'")).isZero();

            receiver.replyWith(request -> Reply.status(204));
            held.countDown();
            try (ServiceProcess second = ServiceProcess.start("crash-second", database.jdbcUrl(), CONFIG)) {
                WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 10,
                        WAIT, () -> "deliveries: " + sql.rows("SELECT status, attempts FROM deliveries"));
            }

            List<Request> requests = receiver.requests("/hook");
            assertThat(requests.stream().map(Request::webhookId).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(events);
            Map<String, Set<String>> bodiesById = requests.stream().collect(Collectors.groupingBy(Request::webhookId,
                    Collectors.mapping(Request::body, Collectors.toSet())));
            assertThat(bodiesById.values()).allSatisfy(bodies -> assertThat(bodies).as("a resend carries the same message").hasSize(1));
            assertThat(requests.size()).as("the four held at the crash were sent again").isEqualTo(14);
        }
    }
}
