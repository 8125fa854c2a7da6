package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.Sql;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.it.support.WebhookReceiver.Reply;
import io.tidings.it.support.WebhookReceiver.Request;

/** Two instances drain one outbox together: everything arrives, and nothing twice while both stay up. */
class TwoInstancesIT {

    private static final int EVENTS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CONFIG = Map.of("tidings.worker.poll-interval", "1s");

    @Test
    void two_instances_deliver_ten_thousand_events_each_exactly_once() {
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            Sql sql = database.sql();
            try (ServiceProcess first = ServiceProcess.start("two-first", database.jdbcUrl(), CONFIG);
                    ServiceProcess second = ServiceProcess.start("two-second", database.jdbcUrl(), CONFIG)) {
                UUID subscriber = sql.webhook(receiver.url("/hook"), true, "*");

                database.outbox(EVENTS, subscriber);

                WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == EVENTS,
                        Duration.ofMinutes(3), () -> "delivered: " + sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'"));
            }

            List<Request> requests = receiver.requests("/hook");
            Map<String, Long> perId = requests.stream().collect(Collectors.groupingBy(Request::webhookId, Collectors.counting()));
            assertThat(perId).hasSize(EVENTS);
            assertThat(perId.values().stream().filter(n -> n > 1).count()).as("messages sent twice").isZero();
            assertThat(sql.count("SELECT count(*) FROM delivery_attempts")).isEqualTo(EVENTS);
            assertThat(sql.rows("SELECT DISTINCT status FROM deliveries")).extracting(row -> row.get("status"))
                    .containsExactly("delivered");
        }
    }

    @Test
    void two_instances_keep_each_keys_order_for_an_ordered_webhook_whatever_fails() throws Exception {
        Map<String, String> config = Map.of("tidings.worker.poll-interval", "1s", "tidings.delivery.retry-schedule",
                "200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms");
        try (ItDatabase database = ItDatabase.start(); WebhookReceiver receiver = WebhookReceiver.start()) {
            Sql sql = database.sql();
            Random random = new Random(7);
            List<String> answered = Collections.synchronizedList(new ArrayList<>()); // "event status", in answer order
            receiver.replyWith(request -> {
                int status = nextDouble(random) < 0.25 ? 503 : 204;
                answered.add(request.webhookId() + " " + status);
                return Reply.status(status);
            });
            try (ServiceProcess first = ServiceProcess.start("ordered-first", database.jdbcUrl(), config);
                    ServiceProcess second = ServiceProcess.start("ordered-second", database.jdbcUrl(), config)) {
                UUID webhook = sql.webhook(receiver.url("/ordered"), true, "*");
                sql.update("UPDATE subscribers SET ordered = true WHERE id = ?", webhook);
                List<String> projects = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    projects.add(JSON.readTree(first.post("/api/projects", "{\"name\":\"P" + i + "\"}")).path("id").asText());
                }
                for (int i = 0; i < 240; i++) {
                    ServiceProcess writer = i % 2 == 0 ? first : second;
                    writer.patch("/api/projects/" + projects.get(i % projects.size()), "{\"description\":\"change " + i + "\"}");
                }
                WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE status NOT IN ('delivered', 'dead')") == 0,
                        Duration.ofMinutes(3), () -> "deliveries: " + sql.rows("SELECT status, count(*) FROM deliveries GROUP BY 1"));
            }

            Map<String, String> keyOf = new HashMap<>();
            Map<String, List<String>> expected = new HashMap<>();
            for (Map<String, Object> row : sql.rows("SELECT d.event_id::text AS event, d.ordering_key AS key, d.status "
                    + "FROM deliveries d ORDER BY d.event_id")) {
                keyOf.put((String) row.get("event"), (String) row.get("key"));
                expected.computeIfAbsent((String) row.get("key"), k -> new ArrayList<>()).add((String) row.get("event"));
            }
            assertThat(keyOf.values()).as("every delivery carries its project as key").doesNotContainNull();
            Map<String, Integer> done = new HashMap<>();
            for (String answer : List.copyOf(answered)) {
                String event = answer.split(" ")[0];
                String key = keyOf.get(event);
                int position = done.getOrDefault(key, 0);
                String next = expected.get(key).get(position);
                assertThat(event).as(() -> "request " + answer + " of key " + key + "; the one expected then: " + sql.rows(
                        "SELECT status, attempts, last_error FROM deliveries WHERE event_id = ?::uuid", next)).isEqualTo(next);
                if (answer.endsWith("204")) {
                    done.put(key, position + 1);
                }
            }
            assertThat(answered.stream().filter(answer -> answer.endsWith("503"))).as("failures happened").isNotEmpty();
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE status = 'dead'")).isZero();
        }
    }

    private static synchronized double nextDouble(Random random) {
        return random.nextDouble();
    }
}
