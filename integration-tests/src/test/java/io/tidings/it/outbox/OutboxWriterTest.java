package io.tidings.it.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.ConstraintViolationException;

import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.example.PipelineRun;
import io.tidings.example.PipelineRunEvent;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.example.TestEvents;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.outbox.Event;
import io.tidings.outbox.Outbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

@QuarkusTest
class OutboxWriterTest extends EmptyDatabaseTest {

    @Inject
    Outbox outbox;
    @Inject
    EntityManager entityManager;

    @Test
    void a_direct_insert_writes_the_row_persist_would_write() {
        PipelineRun run = TestEvents.run(UUID.randomUUID(), 2);
        Event direct = withMetadata(new PipelineRunEvent("project:job:pipeline_run:started", run));
        Event persisted = withMetadata(new PipelineRunEvent("project:job:pipeline_run:started", run));

        QuarkusTransaction.requiringNew().run(() -> {
            outbox.registerEvent(direct);
            assertThat(entityManager.contains(direct)).as("written without the persistence context").isFalse();
        });
        Map<String, Object> frozen = db.rows("SELECT notification, telemetry, ordering_key FROM events WHERE id = ?", direct.getId()).get(0);
        assertThat(frozen.get("notification")).as("the payloads streams send, frozen").asString().contains("\"number\":2", "Apollo");
        QuarkusTransaction.requiringNew().run(() -> {
            call(persisted, "stamp", UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            call(persisted, "freeze", frozen.get("notification"), frozen.get("telemetry"), frozen.get("ordering_key"));
            call(persisted, "renderedWith", 1);
            entityManager.persist(persisted);
        });

        // the writing transaction and its position are the database's
        String columns = "SELECT (to_jsonb(e) - 'id' - 'occurred_at' - 'recorded_at' - 'txid' - 'position')::text FROM events e WHERE id = ?";
        assertThat(db.value(columns, direct.getId()))
                .isEqualTo(db.value(columns, persisted.getId()))
                .asString().contains("\"kind\": \"pipeline_run\"", "\"run_number\": 2", "\"private_metadata\": {\"transcript\": \"hello\"}");
        assertThat(db.count("SELECT count(*) FROM events WHERE id = ? AND occurred_at = recorded_at AND recorded_at > now() - interval '1 minute'",
                direct.getId())).isEqualTo(1);
    }

    @Test
    void a_class_with_a_persist_callback_is_written_with_persist() {
        int before = AuditedProjectEvent.PRE_PERSIST_CALLS.get();

        Event event = QuarkusTransaction.requiringNew().call(() -> outbox.registerEvent(
                new AuditedProjectEvent("project:created", Project.create("Apollo", "to the moon", Instant.now()))));

        assertThat(AuditedProjectEvent.PRE_PERSIST_CALLS.get()).isEqualTo(before + 1);
        assertThat(db.value("SELECT kind FROM events WHERE id = ?", event.getId())).isEqualTo("test_audited");
    }

    @Test
    void a_class_with_bean_constraints_is_validated_as_persist_validates_it() {
        Project project = Project.create("Apollo", "to the moon", Instant.now());

        Throwable refused = catchThrowable(() -> QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ConstrainedProjectEvent("project:created", project, false))));
        assertThat(Stream.iterate(refused, cause -> cause != null, Throwable::getCause))
                .anyMatch(ConstraintViolationException.class::isInstance);
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(new ConstrainedProjectEvent("project:created", project, true)));

        assertThat(db.count("SELECT count(*) FROM events WHERE kind = 'test_constrained'")).isEqualTo(1);
    }

    @Test
    void changes_made_earlier_in_the_transaction_are_written_before_the_event() {
        long projectsSeen = QuarkusTransaction.requiringNew().call(() -> {
            Project project = Project.create("Apollo", "to the moon", Instant.now());
            entityManager.persist(project);
            outbox.registerEvent(new ProjectEvent("project:created", project));
            return entityManager.unwrap(Session.class).doReturningWork(connection -> {
                try (var query = connection.prepareStatement("SELECT count(*) FROM projects WHERE id = ?")) {
                    query.setObject(1, project.id);
                    try (var result = query.executeQuery()) {
                        result.next();
                        return result.getLong(1);
                    }
                }
            });
        });

        assertThat(projectsSeen).isEqualTo(1);
    }

    private static Event withMetadata(Event event) {
        return event.withPrivateMetadata(JsonNodeFactory.instance.objectNode().put("transcript", "hello"));
    }

    // stamp and freeze are the outbox's, not API: the extension's classes load apart from the tests', so only reflection reaches them.
    private static void call(Event event, String method, Object... arguments) {
        try {
            java.lang.reflect.Method target = java.util.Arrays.stream(Event.class.getDeclaredMethods())
                    .filter(candidate -> candidate.getName().equals(method)).findFirst().orElseThrow();
            target.setAccessible(true);
            target.invoke(event, arguments);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
