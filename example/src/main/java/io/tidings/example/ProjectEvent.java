package io.tidings.example;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/** Something that happened to a project: {@code project:created|updated|deleted}, and the layers below. */
@Emits(value = "project:created", description = "A project was created.", telemetry = true)
@Emits(value = "project:updated", description = "A project's name or description changed.", telemetry = true)
@Emits(value = "project:deleted", description = "A project and everything in it was deleted.", telemetry = true)
@Entity
@DiscriminatorValue("project")
public class ProjectEvent extends Event {

    @Column(name = "project_id", updatable = false)
    private UUID projectId;
    @Column(name = "project_name", updatable = false)
    private String projectName;
    @Column(name = "project_description", updatable = false)
    private String projectDescription;

    protected ProjectEvent() {
    }

    public ProjectEvent(String type, Project project) {
        super(type, project.tenantId);
        projectId = project.id;
        projectName = project.name;
        projectDescription = project.description;
    }

    /** A project's events, its jobs' and its runs' among them, keep their order for subscribers that ask for it. */
    @Override
    public String orderingKey() {
        return projectId.toString();
    }

    @Override
    public ObjectNode toNotificationPayload() {
        ObjectNode payload = newPayload();
        objectAt(payload, "project")
                .put("id", projectId.toString())
                .put("name", projectName)
                .put("description", projectDescription);
        return payload;
    }

    // Identifiers and nothing else: the name and description are the user's own words.
    @Override
    public ObjectNode toTelemetryPayload() {
        ObjectNode payload = newPayload();
        objectAt(payload, "project").put("id", projectId.toString());
        return payload;
    }
}
