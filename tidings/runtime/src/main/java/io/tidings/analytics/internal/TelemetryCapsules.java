package io.tidings.analytics.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.delivery.ClaimedDelivery;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.analytics.internal.EventSchemas.Kind;

/** Telemetry deliveries as capsules, for every destination that takes them: HTTP, a file, a topic. */
@Singleton
public class TelemetryCapsules {

    @Inject
    EventTypeRegistry types;
    @Inject
    EventSchemas schemas;
    @Inject
    Installation installation;

    /** {@code {"event", "insert_id", "timestamp", "schema", "schema_version", "instance_id", "properties"}} as JSON text */
    public String capsule(ClaimedDelivery delivery) {
        return TelemetryBatch.capsule(delivery, schemaOf(delivery), installation.id()).toString();
    }

    // The version the event was rendered with, and that version's $id, whatever the type's version is now.
    TelemetryBatch.Schema schemaOf(ClaimedDelivery delivery) {
        EventType rendered = types.rendered(delivery.eventType(), delivery.schemaVersion());
        String id = schemas.document(rendered, Kind.TELEMETRY).map(schema -> schema.path("$id").asText()).orElse("");
        return new TelemetryBatch.Schema(id, rendered.schemaVersion());
    }
}
