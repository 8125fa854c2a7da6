package io.tidings.it.sink;

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

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.Sql;
import io.tidings.it.support.WebhookReceiver;

/**
 * kill -9 while a file sink, a stream, drains a backlog: the next process takes the stream over once
 * the first one's lease runs out, cuts off whatever torn line the first left, and every event ends
 * up in the files, whole; an event is there twice only when it was on disk before the kill but the
 * cursor had not yet moved past it: nothing the cursor had passed is written again.
 */
class FileSinkCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int SENT_BEFORE = 500;
    private static final int BACKLOG = 1500;
    private static final Map<String, String> CONFIG = Map.of(
            "tidings.worker.lease", "5s",
            "tidings.streams.lease", "5s",
            "tidings.worker.poll-interval", "1s",
            "tidings.delivery.timeout", "2s",
            "tidings.delivery.connect-timeout", "500ms");

    @Test
    void after_a_kill_mid_drain_every_event_is_in_the_files_whole() throws Exception {
        Path directory = Files.createTempDirectory("tidings-file-crash");
        try (ItDatabase database = ItDatabase.start(); AutoCloseable removed = () -> delete(directory)) {
            Sql sql = database.sql();
            UUID sink = UUID.randomUUID();
            int events = SENT_BEFORE + BACKLOG;
            long sentAtKill;
            long killedAt;
            try (ServiceProcess recorder = ServiceProcess.start("file-crash-recorder", database.jdbcUrl(),
                    Map.of("tidings.worker.enabled", "false"))) {
                // parked until the drain is watched; read from the beginning: no transaction is visible in '3:3:'
                sql.update("INSERT INTO subscribers (id, kind, all_tenants, enabled, stream, target) VALUES (?, 'file', true, false, true, "
                        + "jsonb_build_object('directory', ?::text, 'record', 'message'))", sink, directory.toString());
                sql.update("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, '*')", sink);
                sql.update("INSERT INTO stream_cursors (subscriber_id, done_snapshot, done_low, done_at) VALUES (?, '3:3:', 0, now())",
                        sink);
                record(recorder, 0, SENT_BEFORE);

                try (ServiceProcess first = ServiceProcess.start("file-crash-first", database.jdbcUrl(), CONFIG)) {
                    // First the cursor passes some events for good, so that the kill has something it must not undo...
                    sql.update("UPDATE subscribers SET enabled = true WHERE id = ?", sink);
                    WebhookReceiver.await(() -> ((Number) cursor(sql, sink).get("sent")).longValue() == SENT_BEFORE, WAIT,
                            () -> "stream: " + cursor(sql, sink));
                    sql.update("UPDATE subscribers SET enabled = false WHERE id = ?", sink);
                    WebhookReceiver.await(() -> cursor(sql, sink).get("lease_owner") == null, WAIT, () -> "stream: " + cursor(sql, sink));
                    // ...then it drains a backlog, and the process dies mid-drain.
                    record(recorder, SENT_BEFORE, BACKLOG);
                    long before = bytes(directory);
                    sql.update("UPDATE subscribers SET enabled = true WHERE id = ?", sink);
                    awaitMoreBytes(directory, before);
                    first.kill(); // while the backlog's first batches are being written, as near as the test can aim
                    killedAt = System.nanoTime();
                    Map<String, Object> cursor = cursor(sql, sink);
                    sentAtKill = ((Number) cursor.get("sent")).longValue(); // what the cursor had passed: nothing moves it now
                    assertThat((String) cursor.get("lease_owner")).as("the first process held the stream")
                            .contains("/" + first.pid() + "/");
                    assertThat((Number) cursor.get("lease_left_ms")).as("on the configured lease").isNotNull()
                            .satisfies(left -> assertThat(left.longValue()).isLessThanOrEqualTo(LEASE.toMillis()));
                }
            }
            assertThat(sql.count("SELECT count(*) FROM events")).isEqualTo(events);
            assertThat(sentAtKill).as("killed mid-drain").isBetween((long) SENT_BEFORE, (long) events - 1);
            assertThat(sql.count("SELECT count(*) FROM deliveries")).as("a stream keeps no row per event").isZero();

            try (ServiceProcess second = ServiceProcess.start("file-crash-second", database.jdbcUrl(), CONFIG)) {
                long readyAt = System.nanoTime();
                String owner = "/" + second.pid() + "/";
                WebhookReceiver.await(() -> String.valueOf(cursor(sql, sink).get("lease_owner")).contains(owner), WAIT,
                        () -> "stream: " + cursor(sql, sink));
                long tookOverAt = System.nanoTime();
                Duration sinceKill = Duration.ofNanos(tookOverAt - killedAt);
                Duration sinceReady = Duration.ofNanos(tookOverAt - readyAt);
                System.out.printf("File stream taken over %d ms after the kill, %d ms after the second process was ready "
                        + "(lease %d ms)%n", sinceKill.toMillis(), sinceReady.toMillis(), LEASE.toMillis());
                // The first's lease runs out at most LEASE after the kill, and the second looks every POLL: a
                // lease of the default 30 s would keep it waiting longer than this after it started.
                assertThat(sinceReady).as("taken over within the lease").isLessThanOrEqualTo(LEASE.plus(POLL).plus(POLL));

                WebhookReceiver.await(() -> ((Number) cursor(sql, sink).get("sent")).longValue() >= events,
                        WAIT, () -> "stream: " + cursor(sql, sink));
                assertThat(((Number) cursor(sql, sink).get("sent")).longValue()).as("each event counted once").isEqualTo(events);
            }

            List<JsonNode> lines = SinkFiles.lines(directory); // a torn line throws
            assertThat(lines).extracting(JsonNode::isObject).containsOnly(true);
            List<String> ids = lines.stream().map(line -> line.path("id").asText()).toList();
            List<String> recorded = sql.rows("SELECT id::text AS id FROM events ORDER BY position").stream()
                    .map(row -> (String) row.get("id")).toList();
            assertThat(Set.copyOf(ids)).isEqualTo(Set.copyOf(recorded));
            // The stream sends in position order: the cursor had passed the first sentAtKill of them.
            Set<String> passed = Set.copyOf(recorded.subList(0, (int) sentAtKill));
            Map<String, Long> counts = ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            List<String> twice = counts.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
            System.out.printf("File stream: %d sent at the kill, %d events written twice; first lines in the order recorded: %s%n",
                    sentAtKill, twice.size(), ids.stream().distinct().toList().equals(recorded));
            assertThat(twice).as("twice only what the cursor had not passed at the kill").noneMatch(passed::contains);
        }
    }

    private static void record(ServiceProcess recorder, int from, int count) {
        String description = "d".repeat(2000);
        for (int i = from; i < from + count; i++) {
            recorder.post("/api/projects", "{\"name\":\"Project " + i + "\",\"description\":\"" + description + "\"}");
        }
    }

    private static Map<String, Object> cursor(Sql sql, UUID sink) {
        return sql.rows("SELECT sent, failures, last_error, lease_owner, "
                + "(extract(epoch FROM lease_expires_at - clock_timestamp()) * 1000)::bigint AS lease_left_ms "
                + "FROM stream_cursors WHERE subscriber_id = ?", sink).get(0);
    }

    private static void delete(Path directory) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** How many bytes the sink's files hold. */
    private static long bytes(Path directory) throws java.io.IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void awaitMoreBytes(Path directory, long than) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (bytes(directory) > than) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("nothing more written to " + directory);
    }
}
