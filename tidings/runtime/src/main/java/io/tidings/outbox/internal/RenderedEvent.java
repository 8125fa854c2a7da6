package io.tidings.outbox.internal;

import java.util.UUID;

import io.tidings.outbox.Event;

/**
 * An event with its payloads rendered to JSON text at the moment it was recorded.
 *
 * @param olderNotifications the notification payload at each older version still rendered, keyed by
 *                        version ({@code {"1": {...}}}); null when there are none
 * @param telemetry       null when the type may not be exported as telemetry
 * @param privateMetadata null unless the event has some and its type may share it
 * @param orderingKey     null when the event belongs to no ordered sequence
 */
public record RenderedEvent(UUID id, String type, UUID tenantId, String notification, String olderNotifications, String telemetry,
        String privateMetadata, String orderingKey) {

    /** Both payloads, checked against their schemas; the telemetry one pseudonymized, and only for allowed types. */
    public static RenderedEvent of(Event event, EventType type, PayloadRendering rendering) {
        return new RenderedEvent(event.getId(), event.getType(), event.getTenantId(), rendering.notification(type, event),
                rendering.olderNotifications(type, event), rendering.telemetry(type, event), rendering.privateMetadata(type, event),
                event.orderingKey());
    }
}
