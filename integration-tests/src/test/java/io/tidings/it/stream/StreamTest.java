package io.tidings.it.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tidings.it.delivery.WorkerProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.ops.internal.RetentionPurge;
import io.tidings.outbox.Outbox;
import io.tidings.stream.internal.StreamReaders;
import io.tidings.it.support.CollectingStream;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

/** Streams read the events as a log: in commit order, past open transactions, under one fenced reader. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class StreamTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;
    @Inject
    EntityManager entityManager;
    @Inject
    CollectingStream sink;
    @Inject
    StreamReaders readers;
    @Inject
    RetentionPurge retention;

    private UUID stream;

    @BeforeEach
    void emptySink() {
        sink.reset();
    }

    @Test
    void two_writers_of_one_aggregate_go_in_commit_order_when_their_transaction_ids_say_otherwise() throws Exception {
        createStream(Map.of());
        enable(stream, false); // both commits land in one window, whose order is the positions'
        Project project = QuarkusTransaction.requiringNew().call(() -> {
            Project created = Project.create("Apollo", "one aggregate", Instant.now());
            entityManager.persist(created);
            return created;
        });
        CompletableFuture<Long> secondXid = new CompletableFuture<>();
        CountDownLatch firstLocked = new CountDownLatch(1);
        CompletableFuture<UUID> second = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew().call(() -> {
            secondXid.complete(xid()); // the second writer takes its transaction id first...
            firstLocked.await(10, TimeUnit.SECONDS);
            lock(project); // ...then waits for the row lock the first holds
            return outbox.registerEvent(new ProjectEvent("project:updated", project)).getId();
        }));
        secondXid.get(10, TimeUnit.SECONDS);
        UUID first = QuarkusTransaction.requiringNew().call(() -> {
            lock(project);
            firstLocked.countDown();
            WebhookReceiver.await(() -> db.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") > 0,
                    WAIT, () -> "the second writer never waited for the lock");
            return outbox.registerEvent(new ProjectEvent("project:updated", project)).getId();
        });
        UUID later = second.get(20, TimeUnit.SECONDS);
        assertThat((Long) db.value("SELECT txid::text::bigint FROM events WHERE id = ?", later))
                .as("the later commit has the earlier transaction id")
                .isLessThan((Long) db.value("SELECT txid::text::bigint FROM events WHERE id = ?", first));

        enable(stream, true);

        awaitReceived(2);
        assertThat(sink.receivedEvents(stream)).containsExactly(first, later);
    }

    @Test
    void a_transaction_held_open_delays_only_its_own_events_and_none_is_lost_when_it_commits() throws Exception {
        createStream(Map.of());
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<UUID> held = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew().call(() -> {
            UUID id = record("held open");
            written.countDown();
            release.await(60, TimeUnit.SECONDS);
            return id;
        }));
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        List<UUID> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(QuarkusTransaction.requiringNew().call(() -> record("meanwhile")));
        }

        awaitReceived(20);
        assertThat(sink.receivedEvents(stream)).as("while one transaction stays open").containsExactlyElementsOf(others);
        WebhookReceiver.await(() -> streamsHealth().getLong("data.oldestOpenTransactionSeconds") >= 1, WAIT,
                () -> "the open writer does not show in health: " + streamsHealth().prettify());
        release.countDown();
        UUID late = held.get(20, TimeUnit.SECONDS);

        awaitReceived(21);
        assertThat(sink.receivedEvents(stream)).as("the late commit comes when it commits").endsWith(late).hasSize(21);
    }

    @Test
    void a_transaction_held_open_and_rolled_back_loses_nothing_else() throws Exception {
        createStream(Map.of());
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            record("rolled back");
            written.countDown();
            await(release);
            QuarkusTransaction.setRollbackOnly();
        }));
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
        UUID before = QuarkusTransaction.requiringNew().call(() -> record("before"));
        awaitReceived(1);
        release.countDown();
        held.handle((done, rolledBack) -> null).get(20, TimeUnit.SECONDS);
        UUID after = QuarkusTransaction.requiringNew().call(() -> record("after"));

        awaitReceived(2);
        assertThat(sink.receivedEvents(stream)).containsExactly(before, after);
    }

    @Test
    void a_stream_reads_only_its_types_and_tenant_and_its_cursor_moves_past_the_rest() {
        Tenants.Tenant acme = Tenants.create("Acme");
        Tenants.Tenant globex = Tenants.create("Globex");
        createStream(Map.of("eventTypes", List.of("project:updated"), "tenantId", acme.id().toString()));
        List<UUID> wanted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            record("project:created", acme.id());
            record("project:updated", globex.id());
            wanted.add(record("project:updated", acme.id()));
        }

        awaitReceived(5);
        assertThat(sink.receivedEvents(stream)).containsExactlyElementsOf(wanted);
        UUID notTaken = record("project:created", acme.id());
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM stream_cursors c, events e WHERE c.subscriber_id = ? "
                + "AND e.id = ? AND c.done_at > e.recorded_at", stream, notTaken) == 1, WAIT, () -> "the cursor stayed where it was");
        assertThat(sink.receivedEvents(stream)).hasSize(5);
    }

    @Test
    void a_new_stream_starts_now_and_an_operator_can_start_it_again_from_the_beginning_or_a_time() throws Exception {
        UUID first = record("first");
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        UUID second = record("second");
        createStream(Map.of());
        UUID third = record("third");
        awaitReceived(1);
        assertThat(sink.receivedEvents(stream)).containsExactly(third);

        Tenants.admin().body(Map.of("start", "beginning")).post("/api/sinks/" + stream + "/position").then().statusCode(200)
                .body("stream.failures", equalTo(0));
        awaitReceived(4);
        assertThat(sink.receivedEvents(stream)).containsExactly(third, first, second, third);

        Tenants.admin().body(Map.of("start", between.toString())).post("/api/sinks/" + stream + "/position").then().statusCode(200);
        awaitReceived(6);
        assertThat(sink.receivedEvents(stream).subList(4, 6)).containsExactly(second, third);

        Tenants.admin().body(Map.of("start", "yesterday")).post("/api/sinks/" + stream + "/position").then().statusCode(400)
                .body("field", equalTo("start"));
    }

    @Test
    void a_failing_sink_is_tried_again_in_order_and_a_record_refused_for_good_is_a_dead_delivery_that_can_be_retried() {
        Tenants.Tenant acme = Tenants.create("Acme");
        createStream(Map.of("tenantId", acme.id().toString()));
        enable(stream, false);
        List<UUID> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(record("project:updated", acme.id()));
        }
        AtomicInteger tries = new AtomicInteger();
        sink.failWhile(record -> record.eventId().equals(events.get(1)) && tries.incrementAndGet() <= 2);
        sink.refuse(record -> record.eventId().equals(events.get(3)));
        enable(stream, true);

        awaitReceived(4);
        assertThat(sink.receivedEvents(stream)).as("in order, each once, the refused one left out")
                .containsExactly(events.get(0), events.get(1), events.get(2), events.get(4));
        assertThat(tries.get()).as("failed twice, then taken").isEqualTo(3);
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries") == 1, WAIT, () -> "no dead delivery");
        Map<String, Object> dead = db.rows("SELECT id, status, last_error FROM deliveries WHERE event_id = ?", events.get(3)).get(0);
        assertThat(dead.get("status")).isEqualTo("dead");
        assertThat((String) dead.get("last_error")).contains("too large");
        assertThat(db.count("SELECT count(*) FROM deliveries")).as("no row for what the sink took").isEqualTo(1);

        sink.refuse(record -> false);
        acme.given().post("/api/deliveries/" + dead.get("id") + "/retry").then().statusCode(202);
        awaitReceived(5);
        assertThat(sink.receivedEvents(stream)).as("a retried dead record comes after its successors").endsWith(events.get(3));
        assertThat(sink.received(stream).get(4).id()).as("with the id it had in the stream").isEqualTo(dead.get("id"));
    }

    @Test
    void a_reader_that_lost_its_lease_cannot_move_the_cursor_and_the_stream_goes_on_once_it_is_free() {
        createStream(Map.of());
        UUID first = record("first");
        awaitReceived(1);
        WebhookReceiver.await(() -> readers.reading().contains(stream), WAIT, () -> "nobody reads the stream");
        // another instance takes the stream over
        db.update("UPDATE stream_cursors SET fence = fence + 1, lease_owner = 'elsewhere', "
                + "lease_expires_at = now() + interval '1 hour' WHERE subscriber_id = ?", stream);
        UUID second = record("second");

        WebhookReceiver.await(() -> !readers.reading().contains(stream), WAIT, () -> "the reader went on without its lease");
        assertThat(db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?", stream)).as("its moves were refused").isEqualTo(1);

        db.update("UPDATE stream_cursors SET lease_expires_at = now() - interval '1 second' WHERE subscriber_id = ?", stream);
        WebhookReceiver.await(() -> db.count("SELECT sent FROM stream_cursors WHERE subscriber_id = ?", stream) == 2, WAIT,
                () -> "not taken back: " + db.rows("SELECT * FROM stream_cursors"));
        assertThat(sink.receivedEvents(stream)).startsWith(first).endsWith(second);
    }

    @Test
    void retention_keeps_what_a_stream_has_not_read_until_the_stream_falls_behind() throws Exception {
        createStream(Map.of());
        enable(stream, false);
        UUID unread = record("unread");
        db.update("UPDATE events SET recorded_at = recorded_at - interval '30 days' WHERE id = ?", unread);

        retention.purge();
        assertThat(db.count("SELECT count(*) FROM events WHERE id = ?", unread)).as("kept for the stream").isEqualTo(1);

        clock.advance(Duration.ofDays(8)); // further than tidings.streams.max-lag
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM stream_cursors WHERE behind_since IS NOT NULL") == 1, WAIT,
                () -> "not marked behind");
        assertThat(streamsHealth().getString("status")).isEqualTo("DOWN");
        retention.purge();
        assertThat(db.count("SELECT count(*) FROM events WHERE id = ?", unread)).as("a stream behind holds nothing back").isZero();
    }

    private static io.restassured.path.json.JsonPath streamsHealth() {
        return new io.restassured.path.json.JsonPath(RestAssured.given().get("/q/health/well").then().extract().jsonPath()
                .prettify()).setRootPath("checks.find { it.name == 'streams' }");
    }

    private UUID createStream(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "collected", "kind", CollectingStream.KIND,
                "target", Map.of(), "eventTypes", List.of("project:*")));
        body.putAll(extra);
        stream = UUID.fromString(Tenants.admin().body(body).post("/api/sinks").then().statusCode(201)
                .body("shape", equalTo("stream")).extract().path("id"));
        return stream;
    }

    private static void enable(UUID stream, boolean enabled) {
        Tenants.admin().body(Map.of("enabled", enabled)).patch("/api/sinks/" + stream).then().statusCode(200);
    }

    private void awaitReceived(int count) {
        WebhookReceiver.await(() -> sink.received(stream).size() >= count, WAIT,
                () -> "received " + sink.received(stream).size() + "; streams: " + db.rows("SELECT sent, failures, last_error FROM stream_cursors"));
    }

    private UUID record(String name) {
        return QuarkusTransaction.joiningExisting().call(() -> outbox.registerEvent(
                new ProjectEvent("project:updated", Project.create(name, "streamed", Instant.now()))).getId());
    }

    private UUID record(String type, UUID tenant) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                new ProjectEvent(type, Project.create(tenant, "Project", "streamed", Instant.now()))).getId());
    }

    private long xid() {
        return Long.parseLong(entityManager.createNativeQuery("SELECT pg_current_xact_id()::text").getSingleResult().toString());
    }

    private void lock(Project project) {
        entityManager.createNativeQuery("SELECT id FROM projects WHERE id = ?1 FOR UPDATE").setParameter(1, project.id).getSingleResult();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
