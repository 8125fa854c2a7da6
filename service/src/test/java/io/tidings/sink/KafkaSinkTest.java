package io.tidings.sink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tidings.delivery.WorkerProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Event;
import io.tidings.outbox.Outbox;
import io.tidings.support.KafkaBroker;
import io.tidings.support.ReceiverTest;
import io.tidings.support.Tenants;
import io.tidings.support.WebhookReceiver;

/** The kafka kind against a real broker that the test starts, kills and restarts. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class KafkaSinkTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaBroker broker;

    @Inject
    Outbox outbox;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void each_event_is_one_record_keyed_by_its_project_with_its_identity_in_headers() throws Exception {
        String topic = topic();
        broker.createTopic(topic, 3, Map.of());
        createSink(topic);
        Project apollo = project("Apollo");
        List<UUID> events = List.of(record(apollo), record(project("Gemini")), record(apollo));

        awaitDelivered(3);

        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, 3, WAIT);
        assertThat(records).extracting(r -> UUID.fromString(header(r, "tidings-event-id"))).containsExactlyInAnyOrderElementsOf(events);
        ConsumerRecord<byte[], byte[]> first = records.stream()
                .filter(r -> header(r, "tidings-event-id").equals(events.get(0).toString())).findFirst().orElseThrow();
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo(apollo.id.toString());
        assertThat(header(first, "tidings-event-type")).isEqualTo("project:updated");
        assertThat(header(first, "tidings-schema-version")).isEqualTo("1");
        JsonNode value = JSON.readTree(first.value());
        assertThat(value.path("id").asText()).isEqualTo(events.get(0).toString());
        assertThat(value.at("/data/project/name").asText()).isEqualTo("Apollo");
        assertThat(records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(apollo.id.toString()))
                .map(ConsumerRecord::partition).distinct()).as("one key, one partition").hasSize(1);
        assertThat((String) db.value("SELECT response_excerpt FROM delivery_attempts LIMIT 1")).startsWith(topic + "-");
    }

    @Test
    void a_topic_that_does_not_exist_yet_is_retried_until_it_does() {
        String topic = topic();
        createSink(topic);
        record(project("Apollo"));

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts > 0") == 1,
                WAIT, () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        assertThat((String) db.value("SELECT last_error FROM deliveries")).contains("TimeoutException").contains(topic);

        broker.createTopic(topic, 1, Map.of());
        clock.advance(Duration.ofSeconds(6));
        awaitDelivered(1);
    }

    @Test
    void a_record_too_large_for_the_topic_is_dead_with_its_reason_and_the_next_of_its_key_goes() {
        String topic = topic();
        broker.createTopic(topic, 1, Map.of("max.message.bytes", "2048"));
        createSink(topic);
        Project apollo = project("Apollo");
        apollo.description = "x".repeat(1900);
        UUID large = record(apollo);
        apollo.description = "short";
        UUID next = record(apollo);

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 1, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        assertThat(db.value("SELECT status FROM deliveries WHERE event_id = ?", large)).isEqualTo("dead");
        assertThat((String) db.value("SELECT last_error FROM deliveries WHERE event_id = ?", large)).contains("RecordTooLarge");
        assertThat(db.value("SELECT status FROM deliveries WHERE event_id = ?", next)).isEqualTo("delivered");
    }

    @Test
    void a_broker_killed_mid_drain_and_restarted_loses_nothing_and_keeps_each_keys_order() {
        String topic = topic();
        broker.createTopic(topic, 3, Map.of());
        createSink(topic);
        List<Project> projects = List.of(project("A"), project("B"), project("C"), project("D"));
        Map<UUID, List<UUID>> recorded = new LinkedHashMap<>();
        for (int round = 0; round < 50; round++) {
            List<Event> batch = new ArrayList<>();
            for (Project project : projects) {
                for (int i = 0; i < 5; i++) {
                    batch.add(new ProjectEvent("project:updated", project));
                }
            }
            QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(batch));
            batch.forEach(event -> recorded.computeIfAbsent(UUID.fromString(event.orderingKey()), k -> new ArrayList<>())
                    .add(event.getId()));
            if (round == 10) {
                broker.kill();
            }
        }
        broker.restart();
        WebhookReceiver.await(() -> {
            clock.advance(Duration.ofSeconds(6));
            return db.count("SELECT count(*) FROM deliveries WHERE status <> 'delivered'") == 0;
        }, WAIT, () -> "deliveries: " + db.rows("SELECT status, count(*), max(last_error) FROM deliveries GROUP BY 1"));

        // held-back records may be there twice: every copy counts, the first one of each says the order
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, WAIT);
        Map<UUID, List<UUID>> firstSeen = new LinkedHashMap<>();
        records.stream().sorted(java.util.Comparator.comparing(ConsumerRecord::offset)).forEach(r -> {
            List<UUID> seen = firstSeen.computeIfAbsent(UUID.fromString(new String(r.key(), StandardCharsets.UTF_8)),
                    k -> new ArrayList<>());
            UUID id = UUID.fromString(header(r, "tidings-event-id"));
            if (!seen.contains(id)) {
                seen.add(id);
            }
        });
        assertThat(firstSeen).as("every event, each key in the order recorded").isEqualTo(recorded);
        assertThat(db.count("SELECT count(*) FROM delivery_attempts WHERE error IS NOT NULL")).as("sends failed while it was down")
                .isPositive();
    }

    @Test
    void a_broker_down_when_the_first_records_go_out_gets_them_once_it_is_up() {
        String topic = topic();
        broker.createTopic(topic, 1, Map.of());
        broker.kill();
        try {
            createSink(topic);
            record(project("Apollo"));
            WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'pending' AND attempts > 0") == 1,
                    WAIT, () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        } finally {
            broker.restart();
        }
        WebhookReceiver.await(() -> {
            clock.advance(Duration.ofSeconds(6));
            return db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == 1;
        }, WAIT, () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
        assertThat(broker.read(topic, 1, WAIT)).hasSize(1);
    }

    @Test
    void a_kafka_sink_is_checked_when_it_is_saved() {
        given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body("{\"name\":\"stream\",\"kind\":\"kafka\",\"target\":{\"topic\":\"t\"},\"eventTypes\":[\"*\"]}")
                .post("/api/sinks").then().statusCode(400).body("field", equalTo("target.bootstrap_servers"));
    }

    private void createSink(String topic) {
        given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body("{\"name\":\"stream\",\"kind\":\"kafka\",\"eventTypes\":[\"project:*\"],\"target\":{\"bootstrap_servers\":\""
                        + broker.bootstrapServers() + "\",\"topic\":\"" + topic + "\",\"properties\":{\"max.block.ms\":\"2000\","
                        + "\"request.timeout.ms\":\"2000\",\"delivery.timeout.ms\":\"5000\"}}}")
                .post("/api/sinks").then().statusCode(201).body("ordered", equalTo(true));
    }

    private static String topic() {
        return "events-" + UUID.randomUUID();
    }

    private static Project project(String name) {
        return Project.create(name, "streamed", Instant.now());
    }

    private UUID record(Project project) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(new ProjectEvent("project:updated", project))).getId();
    }

    private void awaitDelivered(int count) {
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") >= count, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries"));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
