package io.tidings.it.sink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Event;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.KafkaBroker;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

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
        String sink = createSink(topic);
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
        assertThat(records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(apollo.id.toString()))
                .sorted(Comparator.comparing(ConsumerRecord::offset)).map(r -> UUID.fromString(header(r, "tidings-event-id"))))
                .as("one key, in the order recorded").containsExactly(events.get(0), events.get(2));
        // the stream's own state, where a delivery per event used to be
        assertThat(cursor(sink)).satisfies(cursor -> {
            assertThat(((Number) cursor.get("sent")).longValue()).isEqualTo(3);
            assertThat(((Number) cursor.get("failures")).intValue()).isZero();
            assertThat(cursor.get("last_error")).isNull();
        });
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("a stream keeps no row per event").isZero();
        given().header("authorization", "Bearer " + Tenants.adminKey()).get("/api/sinks/" + sink).then().statusCode(200)
                .body("shape", equalTo("stream")).body("stream.sent", equalTo(3)).body("stream.failures", equalTo(0));
    }

    @Test
    void a_topic_that_does_not_exist_yet_is_retried_until_it_does() {
        String topic = topic();
        String sink = createSink(topic);
        UUID event = record(project("Apollo"));

        awaitFailing(sink);
        assertThat(cursor(sink)).satisfies(cursor -> {
            assertThat((String) cursor.get("last_error")).contains("TimeoutException").contains(topic);
            assertThat(((Number) cursor.get("sent")).longValue()).isZero();
            assertThat(cursor.get("next_attempt_at")).isNotNull();
        });
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("retried, never dead").isZero();

        broker.createTopic(topic, 1, Map.of());
        awaitDelivered(1); // on the stream's own backoff, in real time: the test clock is not advanced
        assertThat(broker.read(topic, 1, WAIT)).extracting(r -> UUID.fromString(header(r, "tidings-event-id"))).containsExactly(event);
        assertThat(cursor(sink).get("failures")).as("a success clears the failures").isEqualTo(0);
        assertThat(cursor(sink).get("last_error")).isNull();
    }

    @Test
    void a_record_too_large_for_the_topic_is_dead_with_its_reason_and_the_next_of_its_key_goes() {
        String topic = topic();
        broker.createTopic(topic, 1, Map.of("max.message.bytes", "2048"));
        String sink = createSink(topic);
        Project apollo = project("Apollo");
        apollo.description = "x".repeat(1900);
        UUID large = record(apollo);
        apollo.description = "short";
        UUID next = record(apollo);

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'dead'") == 1
                && db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) >= 1, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries") + ", streams: " + cursors());
        assertThat(db.value("SELECT status FROM deliveries WHERE event_id = ?", large)).isEqualTo("dead");
        assertThat((String) db.value("SELECT last_error FROM deliveries WHERE event_id = ?", large)).contains("RecordTooLarge");
        assertThat(db.count("SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = ?",
                large)).as("its one attempt").isEqualTo(1);
        assertThat((String) db.value("SELECT a.error FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                + "WHERE d.event_id = ?", large)).contains("RecordTooLarge");
        assertThat(db.count("SELECT count(*) FROM deliveries WHERE event_id = ?", next)).as("the next is sent: no row of its own")
                .isZero();
        assertThat(db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).isEqualTo(1);
        assertThat(broker.read(topic, 1, WAIT)).extracting(r -> UUID.fromString(header(r, "tidings-event-id")))
                .as("the next of its key is on the topic, the refused one is not").containsExactly(next);
    }

    @Test
    void a_record_the_producer_refuses_at_once_is_dead_and_the_records_after_it_in_its_batch_go() {
        String topic = topic();
        broker.createTopic(topic, 1, Map.of());
        String sink = createSink(topic, ",\"max.request.size\":\"3000\"");
        Project apollo = project("Apollo");
        List<UUID> events = QuarkusTransaction.requiringNew().call(() -> {
            UUID before = outbox.registerEvent(new ProjectEvent("project:updated", apollo)).getId();
            apollo.description = "x".repeat(4000);
            UUID large = outbox.registerEvent(new ProjectEvent("project:updated", apollo)).getId();
            apollo.description = "short";
            UUID after = outbox.registerEvent(new ProjectEvent("project:updated", apollo)).getId();
            return List.of(before, large, after);
        });

        WebhookReceiver.await(() -> db.count("SELECT coalesce(sum(sent), 0) FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) >= 2,
                WAIT, () -> "deliveries: " + db.rows("SELECT status, attempts, last_error FROM deliveries") + ", streams: " + cursors());
        assertThat(db.rows("SELECT event_id, status FROM deliveries")).as("the large one alone is dead")
                .containsExactly(Map.of("event_id", events.get(1), "status", "dead"));
        assertThat((String) db.value("SELECT last_error FROM deliveries WHERE event_id = ?", events.get(1))).contains("RecordTooLarge");
        assertThat(broker.read(topic, 2, WAIT)).extracting(r -> UUID.fromString(header(r, "tidings-event-id")))
                .containsExactly(events.get(0), events.get(2));
    }

    @Test
    void a_broker_killed_mid_drain_and_restarted_loses_nothing_and_keeps_each_keys_order() {
        String topic = topic();
        broker.createTopic(topic, 3, Map.of());
        String sink = createSink(topic);
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
        int total = recorded.values().stream().mapToInt(List::size).sum();
        // the broker stays down until the stream has seen its sends fail
        awaitFailing(sink);
        Map<String, Object> whileDown = cursor(sink);
        long sentWhileDown = ((Number) whileDown.get("sent")).longValue();
        broker.restart();
        System.out.printf("Kafka stream while the broker was down: %s%n", whileDown);
        assertThat(sentWhileDown).as("killed mid-drain").isLessThan(total);
        assertThat((String) whileDown.get("last_error")).as("why the sends failed").isNotBlank();

        WebhookReceiver.await(() -> db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) >= total, WAIT,
                () -> notOnTopic(topic, recorded));
        assertThat(db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).as("each event counted once")
                .isEqualTo(total);
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("nothing dead").isZero();

        // held-back records may be there twice: every copy counts, the first one of each says the order
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, WAIT);
        Map<UUID, List<UUID>> firstSeen = new LinkedHashMap<>();
        records.stream().sorted(Comparator.comparing(ConsumerRecord::offset)).forEach(r -> {
            List<UUID> seen = firstSeen.computeIfAbsent(UUID.fromString(new String(r.key(), StandardCharsets.UTF_8)),
                    k -> new ArrayList<>());
            UUID id = UUID.fromString(header(r, "tidings-event-id"));
            if (!seen.contains(id)) {
                seen.add(id);
            }
        });
        assertThat(firstSeen).as("every event, each key in the order recorded").isEqualTo(recorded);
        assertThat(((Number) whileDown.get("failures")).intValue()).as("sends failed while it was down").isPositive();
    }

    @Test
    void a_broker_down_when_the_first_records_go_out_gets_them_once_it_is_up() {
        String topic = topic();
        broker.createTopic(topic, 1, Map.of());
        broker.kill();
        String sink;
        UUID event;
        try {
            sink = createSink(topic);
            event = record(project("Apollo"));
            awaitFailing(sink);
            assertThat(cursor(sink).get("sent")).isEqualTo(0L);
        } finally {
            broker.restart();
        }
        long reachable = System.nanoTime(); // restart() returns once the broker answers
        WebhookReceiver.await(() -> db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) >= 1, WAIT,
                () -> "streams: " + cursors());
        Duration took = Duration.ofNanos(System.nanoTime() - reachable);
        System.out.printf("Kafka stream: the first record was taken %d ms after the broker answered again%n", took.toMillis());
        assertThat(took).as("sent again within the longest backoff (30 s) and a send").isLessThan(Duration.ofSeconds(35));
        assertThat(broker.read(topic, 1, WAIT)).extracting(r -> UUID.fromString(header(r, "tidings-event-id"))).containsExactly(event);
        assertThat(db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).isEqualTo(1);
    }

    @Test
    void a_kafka_sink_is_checked_when_it_is_saved() {
        given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body("{\"name\":\"stream\",\"kind\":\"kafka\",\"target\":{\"topic\":\"t\"},\"eventTypes\":[\"*\"]}")
                .post("/api/sinks").then().statusCode(400).body("field", equalTo("target.bootstrap_servers"));
        given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body("{\"name\":\"stream\",\"kind\":\"kafka\",\"eventTypes\":[\"*\"],\"target\":{\"bootstrap_servers\":\"b:9092\","
                        + "\"topic\":\"t\",\"properties\":{\"delivery.timeout.ms\":\"120000\"}}}")
                .post("/api/sinks").then().statusCode(400).body("field", equalTo("target.properties.delivery.timeout.ms"));
    }

    /** @return the sink's id */
    private String createSink(String topic) {
        return createSink(topic, "");
    }

    private String createSink(String topic, String moreProperties) {
        return given().contentType(ContentType.JSON).header("authorization", "Bearer " + Tenants.adminKey())
                .body("{\"name\":\"stream\",\"kind\":\"kafka\",\"eventTypes\":[\"project:*\"],\"target\":{\"bootstrap_servers\":\""
                        + broker.bootstrapServers() + "\",\"topic\":\"" + topic + "\",\"properties\":{\"max.block.ms\":\"2000\","
                        + "\"request.timeout.ms\":\"2000\",\"delivery.timeout.ms\":\"5000\"" + moreProperties + "}}}")
                .post("/api/sinks").then().statusCode(201).body("ordered", equalTo(true)).body("shape", equalTo("stream"))
                .extract().path("id");
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
        WebhookReceiver.await(() -> db.count("SELECT coalesce(sum(sent), 0) FROM stream_cursors") >= count, WAIT,
                () -> "streams: " + cursors());
    }

    /** Waits until the stream has recorded a failed send, and is waiting to try again. */
    private void awaitFailing(String sink) {
        WebhookReceiver.await(() -> db.count("SELECT failures FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) > 0, WAIT,
                () -> "streams: " + cursors() + "; " + streamThreads());
    }

    /** Where the stream's reader and the kafka sender's threads are: what a stream that neither sends nor fails waits on. */
    private static String streamThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().startsWith("tidings-stream") || thread.getKey().getName().startsWith("tidings-kafka"))
                .map(thread -> thread.getKey().getName() + " " + thread.getKey().getState() + Stream.of(thread.getValue()).limit(12)
                        .map(frame -> "\n    at " + frame).collect(Collectors.joining()))
                .collect(Collectors.joining("\n", "threads:\n", ""));
    }

    private Map<String, Object> cursor(String sink) {
        return db.rows("SELECT sent, failures, last_error, next_attempt_at FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)
                .get(0);
    }

    private List<Map<String, Object>> cursors() {
        return db.rows("SELECT sent, failures, last_error, next_attempt_at FROM stream_cursors");
    }

    /** What the stream and the log say of the recorded events the topic does not hold. */
    private String notOnTopic(String topic, Map<UUID, List<UUID>> recorded) {
        Set<String> onTopic = broker.readAll(topic, Duration.ofSeconds(10)).stream().map(r -> header(r, "tidings-event-id"))
                .collect(Collectors.toSet());
        String missing = recorded.values().stream().flatMap(List::stream).map(UUID::toString).filter(id -> !onTopic.contains(id))
                .collect(Collectors.joining(","));
        return "streams: " + db.rows("SELECT sent, failures, last_error, done_snapshot::text, done_low, window_snapshot::text, "
                + "window_low, window_high, after_position FROM stream_cursors")
                + "; the topic holds " + onTopic.size() + " distinct events; not there, by transaction: "
                + db.rows("SELECT txid::text, count(*), min(position), max(position), min(recorded_at) FROM events "
                        + "WHERE id::text = ANY (string_to_array(?, ',')) GROUP BY txid ORDER BY 3", missing)
                + "; every transaction: " + db.rows("SELECT txid::text, count(*), min(position), max(position) FROM events "
                        + "GROUP BY txid ORDER BY 3");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
