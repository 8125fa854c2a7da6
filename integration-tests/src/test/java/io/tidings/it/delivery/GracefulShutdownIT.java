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
import io.tidings.it.support.Sql;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;

/** SIGTERM in the middle of a drain: nothing is left in flight, and the next instance sends the rest. */
class GracefulShutdownIT {

    private static final int EVENTS = 400;
    private static final Map<String, String> CONFIG = Map.of(
            "tidings.worker.poll-interval", "1s",
            "tidings.worker.shutdown-grace", "5s");

    @Test
    void sigterm_during_load_loses_nothing_and_leaves_nothing_in_flight() throws Exception {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            Sql sql = database.sql();
            receiver.replyWith(request -> {
                sleep(50);
                return Reply.status(204);
            });
            UUID subscriber;
            Map<String, String> jsonLogs = new java.util.HashMap<>(CONFIG);
            jsonLogs.put("tidings.log.json", "true");
            jsonLogs.put("quarkus.log.category.\"io.tidings.delivery\".level", "DEBUG");
            try (ServiceProcess first = ServiceProcess.start("shutdown-first", database.jdbcUrl(), jsonLogs)) {
                subscriber = sql.webhook(receiver.url("/hook"), true, "*");
                database.outbox(EVENTS, subscriber);
                receiver.awaitRequests("/hook", 50, Duration.ofSeconds(60));

                first.terminate(Duration.ofSeconds(30));
            }
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE status = 'in_flight'")).isZero();
            long delivered = sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'");
            assertThat(delivered).as("stopped in the middle").isBetween(50L, EVENTS - 1L);

            try (ServiceProcess second = ServiceProcess.start("shutdown-second", database.jdbcUrl(), CONFIG)) {
                WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == EVENTS,
                        Duration.ofSeconds(60), () -> "deliveries: " + sql.rows("SELECT status, count(*) FROM deliveries GROUP BY 1"));
            }
            Set<String> received = receiver.requests("/hook").stream().map(Request::webhookId).collect(Collectors.toSet());
            assertThat(received).hasSize(EVENTS);
            assertJsonLogsWithDeliveryIds(java.nio.file.Path.of("target", "it-logs", "shutdown-first.log"), receiver.url("/hook"));
        }
    }

    // tidings.log.json=true: every line is a JSON object, delivery lines carry their ids, and the
    // receiver's URL appears nowhere.
    private static void assertJsonLogsWithDeliveryIds(java.nio.file.Path log, String url) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<String> lines = java.nio.file.Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        long withIds = 0;
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode record = json.readTree(line);
            if (record.at("/mdc/deliveryId").isTextual() && record.at("/mdc/eventId").isTextual()
                    && record.at("/mdc/subscriberId").isTextual()) {
                withIds++;
            }
        }
        assertThat(withIds).as("delivery lines with their ids").isGreaterThanOrEqualTo(50);
        assertThat(String.join("\n", lines)).doesNotContain(url);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
