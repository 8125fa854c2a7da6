package io.tidings.outbox.internal;

import io.quarkus.runtime.annotations.RecordableConstructor;

/**
 * One row of the {@code event_types} registry.
 *
 * @param name             the type, such as {@code project:job:failed}
 * @param description      what it means, for people choosing what to subscribe to
 * @param schemaVersion    the version of its payload schemas
 * @param telemetryAllowed whether it may be exported to the analytics backend
 * @param clientAllowed    whether browser code may send it through the relay
 */
public record EventType(String name, String description, int schemaVersion, boolean telemetryAllowed, boolean clientAllowed) {

    @RecordableConstructor // the build hands the declared types to the application
    public EventType {
    }

    public EventType(String name, String description, int schemaVersion, boolean telemetryAllowed) {
        this(name, description, schemaVersion, telemetryAllowed, false);
    }

    /** The same type at another version of its schemas: for what was rendered with an earlier one. */
    public EventType atVersion(int version) {
        return new EventType(name, description, version, telemetryAllowed, clientAllowed);
    }
}
