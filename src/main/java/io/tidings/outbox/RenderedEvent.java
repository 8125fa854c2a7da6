package io.tidings.outbox;

import java.util.UUID;

/**
 * An event with its payloads rendered to JSON text at the moment it was recorded.
 *
 * @param telemetry null when the type may not be exported as telemetry
 */
record RenderedEvent(UUID id, String type, UUID tenantId, String notification, String telemetry) {

    static RenderedEvent of(Event event, EventType type) {
        String telemetry = type.telemetryAllowed() ? event.toTelemetryPayload().toString() : null;
        return new RenderedEvent(event.getId(), event.getType(), event.getTenantId(),
                event.toNotificationPayload().toString(), telemetry);
    }
}
