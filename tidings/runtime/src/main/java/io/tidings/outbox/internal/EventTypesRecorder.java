package io.tidings.outbox.internal;

import java.util.List;
import java.util.function.Supplier;

import io.quarkus.runtime.annotations.Recorder;

/** Hands the event types the build declared to the running application. */
@Recorder
public class EventTypesRecorder {

    public Supplier<EventTypeDeclarations> declarations(List<EventType> types) {
        EventTypeDeclarations declarations = new EventTypeDeclarations(types);
        return () -> declarations;
    }
}
