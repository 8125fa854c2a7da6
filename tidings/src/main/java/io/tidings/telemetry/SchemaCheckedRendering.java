package io.tidings.telemetry;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.outbox.Event;
import io.tidings.outbox.EventType;
import io.tidings.outbox.PayloadRendering;

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
