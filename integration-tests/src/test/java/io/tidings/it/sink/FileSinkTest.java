package io.tidings.it.sink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

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
    void each_event_is_one_line_on_disk_when_the_stream_counts_it_as_sent() throws Exception {
        String sink = createSink("{\"directory\":\"" + directory + "\"}", "notification");
        List<UUID> events = List.of(record("Apollo"), record("Gemini"), record("Mercury"));

        awaitDelivered(3);

        List<JsonNode> lines = lines();
        assertThat(lines).extracting(line -> UUID.fromString(line.path("id").asText())).as("one line per event, in commit order")
                .containsExactlyElementsOf(events);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("type").asText()).isEqualTo("project:created");
            assertThat(line.at("/data/project/name").asText()).isNotEmpty();
        });
        assertThat(files(".jsonl")).singleElement().satisfies(file -> assertThat(file.getFileName().toString()).startsWith("tidings-"));
        // the stream's own state, where a delivery per event used to be
        assertThat(db.rows("SELECT sent, failures, last_error, next_attempt_at FROM stream_cursors WHERE subscriber_id = ?::uuid", sink))
                .singleElement().satisfies(cursor -> {
                    assertThat(((Number) cursor.get("sent")).longValue()).isEqualTo(3);
                    assertThat(((Number) cursor.get("failures")).intValue()).isZero();
                    assertThat(cursor.get("last_error")).isNull();
                    assertThat(cursor.get("next_attempt_at")).isNull();
                });
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("a stream keeps no row per event").isZero();
        given().header("authorization", ADMIN).get("/api/sinks/" + sink).then().statusCode(200)
                .body("shape", equalTo("stream")).body("ordered", equalTo(true))
                .body("stream.sent", equalTo(3)).body("stream.failures", equalTo(0)).body("stream.lastError", nullValue());
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
    void a_full_disk_fails_the_write_and_nothing_unwritten_counts_as_sent() throws Exception {
        Path disk = Files.createDirectory(directory.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString()),
                "skipped: mounting a 64 KiB tmpfs needs root, and this test fills it");
        try {
            String sink = createSink("{\"directory\":\"" + disk + "\"}", "notification");
            List<UUID> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(record("Project " + i, "x".repeat(3000)));
            }
            WebhookReceiver.await(() -> db.count("SELECT failures FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) > 0,
                    WAIT, () -> "streams: " + cursors());
            assertThat((String) db.value("SELECT last_error FROM stream_cursors WHERE subscriber_id = ?::uuid", sink))
                    .contains("No space left on device");
            assertThat(db.value("SELECT next_attempt_at FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).isNotNull();
            // The sink cannot take the rest until the disk grows: what the stream counts as sent is
            // exactly what is on disk, whole (SinkFiles throws on a torn line), in the order recorded.
            int sent = (int) db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink);
            List<UUID> onDisk = ids(SinkFiles.lines(disk));
            assertThat(db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).as("still stuck on the full disk")
                    .isEqualTo(sent);
            assertThat(sent).as("the disk filled before every event was written").isLessThan(events.size());
            assertThat(onDisk).as("what counts as sent is on disk, whole, and nothing else").containsExactlyElementsOf(events.subList(0, sent));
            assertThat(db.count("SELECT count(*) FROM deliveries")).as("a full disk is retried, never dead").isZero();

            assertThat(run("mount", "-o", "remount,size=4m", disk.toString())).isTrue();
            // retried on the stream's own backoff, in real time (at most 30 s apart): the test clock plays no part
            WebhookReceiver.await(() -> db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink) >= events.size(),
                    Duration.ofSeconds(45), () -> "streams: " + cursors());
            assertThat(db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).isEqualTo(events.size());
            assertThat(db.value("SELECT last_error FROM stream_cursors WHERE subscriber_id = ?::uuid", sink)).isNull();
            assertThat(ids(SinkFiles.lines(disk))).as("every event once, in order: a failed write left nothing behind")
                    .containsExactlyElementsOf(events);
        } finally {
            run("umount", "--lazy", disk.toString()); // the sink still holds its file open
        }
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

    /** @return the sink's id */
    private String createSink(String target, String payload) {
        return given().contentType(ContentType.JSON).header("authorization", ADMIN).body(sinkBody(target, payload))
                .post("/api/sinks").then().statusCode(201).body("kind", equalTo("file")).body("shape", equalTo("stream"))
                .body("ordered", equalTo(true)).body("stream.sent", equalTo(0)).extract().path("id");
    }

    static String sinkBody(String target, String payload) {
        return "{\"name\":\"export\",\"kind\":\"file\",\"target\":" + target + ",\"eventTypes\":[\"project:*\"],\"payload\":\""
                + payload + "\"}";
    }

    private UUID record(String name) {
        return record(name, "to the moon");
    }

    private UUID record(String name, String description) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(name, description, Instant.now())))).getId();
    }

    private List<Map<String, Object>> cursors() {
        return db.rows("SELECT sent, failures, last_error, next_attempt_at FROM stream_cursors");
    }

    private static List<UUID> ids(List<JsonNode> lines) {
        return lines.stream().map(line -> UUID.fromString(line.path("id").asText())).toList();
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitDelivered(int count) {
        WebhookReceiver.await(() -> db.count("SELECT coalesce(sum(sent), 0) FROM stream_cursors") >= count, WAIT,
                () -> "streams: " + cursors());
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
