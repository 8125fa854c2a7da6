package io.tidings.sink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tidings.delivery.WorkerProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.support.ReceiverTest;
import io.tidings.support.Tenants;
import io.tidings.support.WebhookReceiver;

@QuarkusTest
@TestProfile(WorkerProfile.class)
class FileSinkTest extends ReceiverTest {

    static final String ADMIN = "Bearer " + Tenants.adminKey();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;
    private Path directory;

    @BeforeEach
    void directory() throws IOException {
        directory = Files.createTempDirectory("tidings-file-sink");
    }

    @AfterEach
    void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void each_event_is_one_line_on_disk_when_its_delivery_counts_as_delivered() throws Exception {
        createSink("{\"directory\":\"" + directory + "\"}", "notification");
        List<UUID> events = List.of(record("Apollo"), record("Gemini"), record("Mercury"));

        awaitDelivered(3);

        List<JsonNode> lines = lines();
        assertThat(lines).extracting(line -> UUID.fromString(line.path("id").asText())).containsExactlyInAnyOrderElementsOf(events);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("type").asText()).isEqualTo("project:created");
            assertThat(line.at("/data/project/name").asText()).isNotEmpty();
        });
        assertThat(db.value("SELECT response_excerpt FROM delivery_attempts LIMIT 1").toString()).startsWith("written to tidings-");
    }

    @Test
    void a_file_is_compressed_and_a_new_one_started_at_its_size_or_its_age() throws Exception {
        createSink("{\"directory\":\"" + directory + "\",\"max_bytes\":1024,\"max_age_seconds\":60}", "notification");
        for (int i = 0; i < 12; i++) {
            record("Project " + i);
            awaitDelivered(i + 1);
        }
        long bySize = files(".jsonl.gz").size();
        assertThat(bySize).as("rotated by size").isGreaterThan(1);

        clock.advance(Duration.ofSeconds(61));
        record("After a minute");
        awaitDelivered(13);

        assertThat(files(".jsonl.gz")).as("rotated by age").hasSize((int) bySize + 1);
        assertThat(files(".jsonl")).hasSize(1);
        assertThat(lines()).hasSize(13);
    }

    @Test
    void a_telemetry_sink_writes_capsules() throws Exception {
        createSink("{\"directory\":\"" + directory + "\"}", "telemetry");
        UUID event = record("Apollo");

        awaitDelivered(1);

        JsonNode capsule = lines().get(0);
        assertThat(capsule.path("event").asText()).isEqualTo("project:created");
        assertThat(capsule.path("schema").asText()).startsWith("https://schemas.tidings.io/");
        assertThat(capsule.at("/properties/project/id").asText()).matches("[0-9a-f]{64}");
        assertThat(capsule.toString()).doesNotContain("Apollo", event.toString());
    }

    @Test
    void a_sink_is_the_operators_and_its_settings_are_checked() {
        given().contentType(ContentType.JSON).header("authorization", "Bearer " + tenantKey())
                .body(sinkBody("{\"directory\":\"" + directory + "\"}", "notification"))
                .post("/api/sinks").then().statusCode(403);
        given().contentType(ContentType.JSON).header("authorization", ADMIN)
                .body(sinkBody("{\"directory\":\"relative/path\"}", "notification"))
                .post("/api/sinks").then().statusCode(400).body("field", equalTo("target.directory"));
        given().contentType(ContentType.JSON).header("authorization", ADMIN)
                .body(sinkBody("{}", "notification").replace("\"file\"", "\"carrier_pigeon\""))
                .post("/api/sinks").then().statusCode(400).body("field", equalTo("kind"));
    }

    private String tenantKey() {
        return Tenants.create("Acme").key();
    }

    private void createSink(String target, String payload) {
        given().contentType(ContentType.JSON).header("authorization", ADMIN).body(sinkBody(target, payload))
                .post("/api/sinks").then().statusCode(201).body("kind", equalTo("file"));
    }

    static String sinkBody(String target, String payload) {
        return "{\"name\":\"export\",\"kind\":\"file\",\"target\":" + target + ",\"eventTypes\":[\"project:*\"],\"payload\":\""
                + payload + "\"}";
    }

    private UUID record(String name) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(name, "to the moon", Instant.now())))).getId();
    }

    private void awaitDelivered(int count) {
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") >= count, WAIT,
                () -> "deliveries: " + db.rows("SELECT status, last_error FROM deliveries"));
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private List<JsonNode> lines() throws IOException {
        return SinkFiles.lines(directory);
    }
}
