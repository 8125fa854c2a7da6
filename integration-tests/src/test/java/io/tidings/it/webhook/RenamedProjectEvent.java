package io.tidings.it.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.outbox.Emits;

/**
 * A type past a breaking change, with v1 still rendered for the webhooks that pin it: v1 was flat
 * ({@code project_id}, {@code name}), v2 nests the project as the example's types do.
 */
@Emits(value = "project:renamed", description = "A project was given another name.", schemaVersion = 2, versions = { 1, 2 },
        deprecated = 1, breaking = true)
@Entity
@DiscriminatorValue("test_renamed")
public class RenamedProjectEvent extends ProjectEvent {

    protected RenamedProjectEvent() {
    }

    RenamedProjectEvent(Project project) {
        super("project:renamed", project);
    }

    @Override
    public ObjectNode toNotificationPayload(int schemaVersion) {
        ObjectNode current = toNotificationPayload();
        if (schemaVersion != 1) {
            return current;
        }
        ObjectNode v1 = newPayload();
        v1.put("project_id", current.path("project").path("id").asText());
        v1.put("name", current.path("project").path("name").asText());
        return v1;
    }
}
