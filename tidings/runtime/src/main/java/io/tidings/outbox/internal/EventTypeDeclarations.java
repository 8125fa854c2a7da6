package io.tidings.outbox.internal;

import java.util.List;

import io.tidings.outbox.Emits;

/**
 * The event types the application's classes declare with {@link Emits}, as its build found and
 * checked them: the extension reads the annotations from the index, so the start scans nothing.
 */
public final class EventTypeDeclarations {

    private final List<EventType> types;

    public EventTypeDeclarations(List<EventType> types) {
        this.types = List.copyOf(types);
    }

    /** In name order. */
    public List<EventType> types() {
        return types;
    }
}
