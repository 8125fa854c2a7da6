package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;

/**
 * The database goes away in the middle of a drain and comes back: readiness follows it, the worker
 * carries on, nothing is lost.
 */
class DatabaseRestartIT {

    private static final int EVENTS = 300;

    @Test
    void a_database_restart_mid_drain_delays_delivery_and_loses_nothing() throws Exception {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.replyWith(request -> {
                sleep(20);
                return Reply.status(204);
            });
            try (ServiceProcess service = ServiceProcess.start("restart", database.jdbcUrl(),
                    Map.of("tidings.worker.poll-interval", "1s"))) {
                UUID subscriber = database.sql().webhook(receiver.url("/hook"), true, "*");
                database.outbox(EVENTS, subscriber);
                receiver.awaitRequests("/hook", 30, Duration.ofSeconds(60));
                assertThat(service.status("/q/health/ready")).isEqualTo(200);

                database.stop();
                WebhookReceiver.await(() -> service.status("/q/health/ready") == 503, Duration.ofSeconds(30),
                        () -> "still ready with the database down");
                assertThat(service.status("/q/health/live")).as("a database outage is no reason to restart").isEqualTo(200);
                database.restart();
                WebhookReceiver.await(() -> service.status("/q/health/ready") == 200, Duration.ofSeconds(60),
                        () -> "not ready again after the database came back");

                WebhookReceiver.await(() -> delivered(database) == EVENTS, Duration.ofSeconds(90),
                        () -> "delivered " + delivered(database) + " of " + EVENTS + "; see target/it-logs/restart.log");
                assertThat(database.sql().count("SELECT count(*) FROM deliveries WHERE status = 'in_flight'")).isZero();

                UUID after = UUID.randomUUID();
                service.post("/api/projects", "{\"name\":\"after the restart " + after + "\"}");
                WebhookReceiver.await(() -> receiver.requests("/hook").stream().anyMatch(r -> r.body().contains(after.toString())),
                        Duration.ofSeconds(30), () -> "an event recorded after the restart was not delivered");
            }
            Set<String> received = receiver.requests("/hook").stream().map(Request::webhookId).collect(Collectors.toSet());
            assertThat(received).hasSize(EVENTS + 1);
        }
    }

    /**
     * A delivery waits in its lane behind a slow one while the database is away, until its lease
     * could run out mid-attempt: the worker gives it up unsent, and hands it back with its attempt
     * once the database returns, so that it is sent as its first attempt, not its second.
     */
    @Test
    void a_delivery_given_up_unsent_during_an_outage_gets_its_attempt_back() throws Exception {
        // One attempt can take 4.2 s (4 s, and 0.1 s to connect twice): leases of 6.3 s leave 2.1 s to wait in a lane.
        Map<String, String> config = Map.of("tidings.worker.poll-interval", "1s", "tidings.worker.max-in-flight-per-subscriber", "2",
                "tidings.worker.lease", "1s", "tidings.delivery.timeout", "4s", "tidings.delivery.connect-timeout", "100ms");
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.replyWith(request -> {
                if (request.number() == 1 || request.number() == 3) {
                    sleep(3_200); // the lane's two slow ones: the fourth claimed waits behind them
                }
                return Reply.status(204);
            });
            try (ServiceProcess service = ServiceProcess.start("given-up", database.jdbcUrl(), config)) {
                UUID subscriber = database.sql().webhook(receiver.url("/lane"), true, "*");
                database.outbox(4, subscriber);
                receiver.awaitRequests("/lane", 3, Duration.ofSeconds(30));
                database.stop();
                WebhookReceiver.await(() -> service.logLines().stream().anyMatch(line -> line.contains("was not sent")),
                        Duration.ofSeconds(20), () -> "no delivery was given up; see target/it-logs/given-up.log");
                database.restart();

                WebhookReceiver.await(() -> delivered(database) == 4, Duration.ofSeconds(60),
                        () -> "delivered " + delivered(database) + " of 4; see target/it-logs/given-up.log");
                assertThat(database.sql().rows("SELECT attempts FROM deliveries")).extracting(row -> row.get("attempts"))
                        .as("each sent once, as its first attempt").containsOnly(1);
            }
            assertThat(receiver.requests("/lane").stream().map(Request::webhookId).collect(Collectors.toSet())).hasSize(4);
        }
    }

    private static long delivered(ItDatabase database) {
        try {
            return database.sql().count("SELECT count(*) FROM deliveries WHERE status = 'delivered'");
        } catch (IllegalStateException stillDown) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
