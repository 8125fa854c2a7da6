package io.tidings.outbox.internal;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.annotations.RecordableConstructor;

/**
 * One row of the {@code event_types} registry.
 *
 * @param name             the type, such as {@code project:job:failed}
 * @param description      what it means, for people choosing what to subscribe to
 * @param schemaVersion    the version of its payload schemas that events are recorded with
 * @param telemetryAllowed whether it may be exported to the analytics backend
 * @param clientAllowed    whether browser code may send it through the relay
 * @param olderVersions    the earlier versions its class still renders, for webhooks that pin one; ascending
 * @param deprecated       those of them that are going away
 */
public record EventType(String name, String description, int schemaVersion, boolean telemetryAllowed, boolean clientAllowed,
        List<Integer> olderVersions, List<Integer> deprecated) {

    @RecordableConstructor // the build hands the declared types to the application
    public EventType {
        // ArrayLists, which the build's recorder can write
        olderVersions = new ArrayList<>(olderVersions == null ? List.of() : olderVersions);
        deprecated = new ArrayList<>(deprecated == null ? List.of() : deprecated);
    }

    public EventType(String name, String description, int schemaVersion, boolean telemetryAllowed, boolean clientAllowed) {
        this(name, description, schemaVersion, telemetryAllowed, clientAllowed, List.of(), List.of());
    }

    public EventType(String name, String description, int schemaVersion, boolean telemetryAllowed) {
        this(name, description, schemaVersion, telemetryAllowed, false);
    }

    /** The same type at another version of its schemas: for what was rendered with an earlier one. */
    public EventType atVersion(int version) {
        return new EventType(name, description, version, telemetryAllowed, clientAllowed, olderVersions, deprecated);
    }

    /** Whether events of this type are rendered at {@code version} too: the current one, or an older one still rendered. */
    public boolean renders(int version) {
        return version == schemaVersion || olderVersions.contains(version);
    }

    /** Every version rendered, ascending. */
    public List<Integer> versions() {
        List<Integer> versions = new ArrayList<>(olderVersions);
        versions.add(schemaVersion);
        return versions;
    }
}
