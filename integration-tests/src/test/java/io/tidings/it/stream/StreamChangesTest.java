package io.tidings.it.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Outbox;
import io.tidings.stream.internal.StreamReaders;
import io.tidings.it.support.CollectingStream;
import io.tidings.it.support.HourlyPoll;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

/**
 * A stream created, paused, resumed or reset over the API is read from the commit on: the readers'
 * poll is an hour apart here, so only the notice the API sends can start them.
 */
@QuarkusTest
@TestProfile(HourlyPoll.class)
class StreamChangesTest extends ReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Outbox outbox;
    @Inject
    CollectingStream sink;
    @Inject
    StreamReaders readers;

    @Test
    void a_stream_is_read_from_the_commit_of_its_creation_pause_resumption_or_reset_without_waiting_for_a_poll() {
        sink.reset();
        UUID before = record("before");
        UUID stream = UUID.fromString(Tenants.admin().body(Map.of("kind", CollectingStream.KIND, "name", "changes",
                "target", Map.of(), "eventTypes", List.of("project:*"), "start", "beginning"))
                .post("/api/sinks").then().statusCode(201).extract().path("id"));
        awaitReading(stream, true);
        awaitReceived(stream, 1);

        enable(stream, false);
        awaitReading(stream, false);
        UUID whilePaused = record("while paused");
        enable(stream, true);
        awaitReceived(stream, 2);

        Tenants.admin().body(Map.of("start", "beginning")).post("/api/sinks/" + stream + "/position").then().statusCode(200);
        awaitReceived(stream, 4);
        assertThat(sink.receivedEvents(stream)).containsExactly(before, whilePaused, before, whilePaused);

        Tenants.admin().delete("/api/sinks/" + stream).then().statusCode(204);
        awaitReading(stream, false);
    }

    private void awaitReading(UUID stream, boolean reading) {
        WebhookReceiver.await(() -> readers.reading().contains(stream) == reading, WAIT,
                () -> (reading ? "no reader took " : "a reader still reads ") + stream);
    }

    private void awaitReceived(UUID stream, int count) {
        WebhookReceiver.await(() -> sink.received(stream).size() >= count, WAIT,
                () -> "received " + sink.received(stream).size() + " of " + count);
    }

    private static void enable(UUID stream, boolean enabled) {
        Tenants.admin().body(Map.of("enabled", enabled)).patch("/api/sinks/" + stream).then().statusCode(200)
                .body("enabled", equalTo(enabled));
    }

    private UUID record(String name) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                new ProjectEvent("project:updated", Project.create(name, "streamed", Instant.now()))).getId());
    }
}
