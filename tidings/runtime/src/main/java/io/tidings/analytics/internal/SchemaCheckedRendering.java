package io.tidings.analytics.internal;

import java.util.Optional;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import io.tidings.outbox.Event;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.PayloadRendering;
import io.tidings.outbox.internal.SchemaIds;

/**
 * Renders payloads against the event schemas, telemetry only for the types the operator exports.
 * That every declared type has its schemas, and that they keep the rules, the build checked
 * ({@link SchemaRules}).
 */
@Singleton
public class SchemaCheckedRendering implements PayloadRendering, SchemaIds {

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
    public Optional<String> notification(EventType type) {
        return schemas.document(type, EventSchemas.Kind.NOTIFICATION).map(document -> document.path("$id").asText(null));
    }

    @Override
    public String olderNotifications(EventType type, Event event) {
        if (type.olderVersions().isEmpty()) {
            return null;
        }
        ObjectNode older = JsonNodeFactory.instance.objectNode();
        for (int version : type.olderVersions()) {
            older.set(String.valueOf(version), schemas.checkNotification(type.atVersion(version), event.toNotificationPayload(version)));
        }
        return older.toString();
    }

    @Override
    public String telemetry(EventType type, Event event) {
        if (!export.exports(type)) {
            return null;
        }
        ObjectNode payload = event.toTelemetryPayload();
        if (payload == null) { // the build refuses such a class (TidingsProcessor): this is a last word
            throw new IllegalStateException(event.getClass().getName() + " records " + type.name()
                    + ", which @Emits says is telemetry, but renders no telemetry payload: override toTelemetryPayload()");
        }
        return schemas.prepareTelemetry(type, payload).toString();
    }

    @Override
    public String privateMetadata(EventType type, Event event) {
        return export.sharesPrivateMetadata(type) ? event.getPrivateMetadata() : null;
    }
}
