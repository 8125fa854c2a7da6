package io.tidings.telemetry.internal;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.tidings.outbox.Event;
import io.tidings.outbox.internal.DeclaredEventTypes;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.PayloadRendering;

/** Renders payloads against the event schemas, telemetry only for the types the operator exports. */
@Singleton
public class SchemaCheckedRendering implements PayloadRendering {

    private final EventSchemas schemas;
    private final TelemetryExport export;

    @Inject
    public SchemaCheckedRendering(EventSchemas schemas, TelemetryExport export) {
        this.schemas = schemas;
        this.export = export;
    }

    // Just after the declared types are written: a type without its schemas cannot be recorded.
    void requireSchemas(@Observes @Priority(DeclaredEventTypes.PRIORITY + 1) StartupEvent event, DeclaredEventTypes types) {
        for (EventType type : types.types()) {
            schemas.require(type, EventSchemas.Kind.NOTIFICATION);
            if (type.telemetryAllowed()) {
                schemas.require(type, EventSchemas.Kind.TELEMETRY);
            }
        }
    }

    @Override
    public String notification(EventType type, Event event) {
        return schemas.checkNotification(type, event.toNotificationPayload()).toString();
    }

    @Override
    public String telemetry(EventType type, Event event) {
        return export.exports(type) ? schemas.prepareTelemetry(type, event.toTelemetryPayload()).toString() : null;
    }

    @Override
    public String privateMetadata(EventType type, Event event) {
        return export.sharesPrivateMetadata(type) ? event.getPrivateMetadata() : null;
    }
}
