package io.tidings.deployment;

import java.util.List;

import io.quarkus.builder.item.SimpleBuildItem;
import io.tidings.outbox.internal.EventType;

/** The event types the application's classes declare, found in the index and checked. */
public final class DeclaredEventTypesBuildItem extends SimpleBuildItem {

    private final List<EventType> types;

    public DeclaredEventTypesBuildItem(List<EventType> types) {
        this.types = List.copyOf(types);
    }

    /** In name order. */
    public List<EventType> types() {
        return types;
    }
}
