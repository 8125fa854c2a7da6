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
