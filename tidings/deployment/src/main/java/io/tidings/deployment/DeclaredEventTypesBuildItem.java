package io.tidings.deployment;

import java.util.List;
import java.util.Set;

import io.quarkus.builder.item.SimpleBuildItem;
import io.tidings.outbox.internal.EventType;

/** The event types the application's classes declare, found in the index and checked. */
public final class DeclaredEventTypesBuildItem extends SimpleBuildItem {

    private final List<EventType> types;
    private final Set<String> breaking;

    /** @param breaking the types whose current version is declared breaking */
    public DeclaredEventTypesBuildItem(List<EventType> types, Set<String> breaking) {
        this.types = List.copyOf(types);
        this.breaking = Set.copyOf(breaking);
    }

    /** The types whose current version is declared to break readers of the one before. */
    public Set<String> breaking() {
        return breaking;
    }

    /** In name order. */
    public List<EventType> types() {
        return types;
    }
}
