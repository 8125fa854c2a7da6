package io.tidings.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.example.JobEvent;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;
import io.tidings.support.EmptyDatabaseTest;

/** Event types are declared on their classes with @Emits, and written into event_types at start. */
@QuarkusTest
class DeclaredEventTypesTest extends EmptyDatabaseTest {

    @Inject
    DeclaredEventTypes declared;
    @Inject
    EventTypeRegistry registry;

    @Test
    void the_declared_types_are_the_registry_and_a_changed_declaration_wins_at_the_next_start() throws Exception {
        assertThat(declared.types()).extracting(EventType::name).contains("project:created", "project:job:failed",
                "project:job:pipeline_run:cancelled", "webhook:test", "client:screen_viewed");
        db.update("UPDATE event_types SET description = 'stale', telemetry_allowed = false WHERE name = 'project:created'");

        declared.seed(null); // as at the next start

        assertThat(db.value("SELECT description FROM event_types WHERE name = 'project:created'")).isEqualTo("A project was created.");
        assertThat(registry.require("project:created").telemetryAllowed()).isTrue();
    }

    @Emits(value = "project:created", description = "again")
    static class Twice {
    }

    @Emits(value = "Project Created", description = "not a name")
    static class Malformed {
    }

    @Test
    void a_type_declared_twice_or_malformed_stops_the_start_naming_the_classes() {
        assertThatThrownBy(() -> DeclaredEventTypes.declared(List.of(ProjectEvent.class, Twice.class)))
                .hasMessageContaining("project:created is declared by both").hasMessageContaining(Twice.class.getName());
        assertThatThrownBy(() -> DeclaredEventTypes.declared(List.of(Malformed.class)))
                .hasMessageContaining("is not an event type name");
        assertThat(DeclaredEventTypes.declared(List.of(ProjectEvent.class, JobEvent.class))).hasSize(8);
    }
}
