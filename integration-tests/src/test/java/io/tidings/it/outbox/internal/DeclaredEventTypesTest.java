package io.tidings.it.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;


import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.outbox.internal.DeclaredEventTypes;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;

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
}
