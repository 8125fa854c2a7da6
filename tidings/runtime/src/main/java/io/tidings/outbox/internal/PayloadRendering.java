package io.tidings.outbox.internal;

import io.tidings.outbox.Event;

/**
 * How an event's payloads become the text its deliveries carry: checked against their schemas, the
 * telemetry one pseudonymized and left out where the type may not be exported. The outbox asks;
 * the telemetry layer, which knows the schemas and the installation's key, answers.
 */
public interface PayloadRendering {

    /** The notification payload, checked against its schema. */
    String notification(EventType type, Event event);

    /**
     * The notification payload at each older version the type still renders, each checked against
     * its schema, as one JSON object keyed by version ({@code {"1": {...}}}); null when there are none.
     */
    String olderNotifications(EventType type, Event event);

    /** The telemetry payload, pseudonymized and checked; null when the type is not exported. */
    String telemetry(EventType type, Event event);

    /** The event's private metadata; null when it has none or its type may not share it. */
    String privateMetadata(EventType type, Event event);
}
