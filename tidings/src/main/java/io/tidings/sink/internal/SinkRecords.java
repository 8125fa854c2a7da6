package io.tidings.sink.internal;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.delivery.ClaimedDelivery;
import io.tidings.telemetry.internal.TelemetryCapsules;

/**
 * What a sink writes for one delivery, as JSON text: for a telemetry subscriber the capsule the
 * analytics backend receives; for a notification subscriber the webhook body with the event id
 * ({@code {"id", "type", "timestamp", "data"}}), which a consumer deduplicates on.
 */
@Singleton
public class SinkRecords {

    /** {@code target.record}, set when the sink is saved from the payload it takes. */
    public static final String RECORD = "record";
    public static final String CAPSULE = "capsule";
    public static final String MESSAGE = "message";

    @Inject
    TelemetryCapsules capsules;

    public String json(ClaimedDelivery delivery) {
        if (CAPSULE.equals(delivery.target().path(RECORD).asText())) {
            return capsules.capsule(delivery);
        }
        // Event types are [a-z0-9_:], ids and ISO instants need no escaping either.
        return "{\"id\":\"" + delivery.eventId() + "\",\"type\":\"" + delivery.eventType() + "\",\"timestamp\":\""
                + delivery.occurredAt() + "\",\"data\":" + delivery.payload() + "}";
    }
}
