package io.tidings.outbox;

/**
 * One row of the {@code event_types} registry.
 *
 * @param name             the type, such as {@code project:job:failed}
 * @param description      what it means, for people choosing what to subscribe to
 * @param schemaVersion    the version of its payload schemas
 * @param telemetryAllowed whether it may be exported to the analytics backend
 */
public record EventType(String name, String description, int schemaVersion, boolean telemetryAllowed) {
}
