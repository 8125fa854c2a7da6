package io.tidings.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidings.support.ItDatabase;
import io.tidings.support.ServiceProcess;
import io.tidings.support.Sql;
import io.tidings.support.WebhookReceiver;

/**
 * kill -9 while a file sink drains a backlog: the next process cuts off whatever torn line the
 * first left, and every event ends up in the files, whole; an event is there twice only when its
 * batch was on disk before the kill but not yet counted as delivered.
 */
class FileSinkCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Map<String, String> CONFIG = Map.of(
            "tidings.worker.lease", "5s",
            "tidings.worker.poll-interval", "1s",
            "tidings.delivery.timeout", "2s",
            "tidings.delivery.connect-timeout", "500ms");

    @Test
    void after_a_kill_mid_drain_every_event_is_in_the_files_whole() throws Exception {
        Path directory = Files.createTempDirectory("tidings-file-crash");
        try (ItDatabase database = ItDatabase.start(); AutoCloseable removed = () -> delete(directory)) {
            Sql sql = database.sql();
            UUID sink = UUID.randomUUID();
            try (ServiceProcess recorder = ServiceProcess.start("file-crash-recorder", database.jdbcUrl(),
                    Map.of("tidings.worker.enabled", "false"))) {
                sql.update("INSERT INTO subscribers (id, kind, all_tenants, target) VALUES (?, 'file', true, "
                        + "jsonb_build_object('directory', ?::text, 'record', 'message'))", sink, directory.toString());
                sql.update("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, '*')", sink);
                String description = "d".repeat(2000);
                for (int i = 0; i < 1500; i++) {
                    recorder.post("/api/projects", "{\"name\":\"Project " + i + "\",\"description\":\"" + description + "\"}");
                }
            }
            int events = (int) sql.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ?", sink);
            sql.update("UPDATE subscribers SET enabled = false WHERE id = ?", sink); // parked until the drain is watched

            Set<String> inFlightAtKill;
            try (ServiceProcess first = ServiceProcess.start("file-crash-first", database.jdbcUrl(), CONFIG)) {
                sql.update("UPDATE subscribers SET enabled = true WHERE id = ?", sink);
                awaitFirstBytes(directory);
                first.kill(); // while the first batches are being written, as near as the test can aim
                inFlightAtKill = sql.rows("SELECT event_id::text AS id FROM deliveries WHERE status = 'in_flight'").stream()
                        .map(row -> (String) row.get("id")).collect(Collectors.toSet());
            }
            assertThat(events).isEqualTo(1500);
            assertThat(sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'")).as("killed mid-drain")
                    .isLessThan(events);

            try (ServiceProcess second = ServiceProcess.start("file-crash-second", database.jdbcUrl(), CONFIG)) {
                WebhookReceiver.await(() -> sql.count("SELECT count(*) FROM deliveries WHERE status = 'delivered'") == events,
                        WAIT, () -> "deliveries: " + sql.rows("SELECT status, count(*) FROM deliveries GROUP BY 1"));
            }

            List<String> ids = SinkFiles.lines(directory).stream().map(line -> line.path("id").asText()).toList();
            Set<String> recorded = sql.rows("SELECT id::text AS id FROM events").stream().map(row -> (String) row.get("id"))
                    .collect(Collectors.toSet());
            assertThat(Set.copyOf(ids)).isEqualTo(recorded);
            Map<String, Long> counts = ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            assertThat(counts.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey))
                    .as("twice only what was in flight at the kill").allMatch(inFlightAtKill::contains);
            assertThat(SinkFiles.lines(directory)).extracting(JsonNode::isObject).containsOnly(true);
        }
    }

    private static void delete(Path directory) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void awaitFirstBytes(Path directory) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(directory)) {
                if (files.anyMatch(file -> file.toFile().length() > 0)) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("nothing written to " + directory);
    }
}
