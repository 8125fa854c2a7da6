package io.tidings.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.PublicApi;

/**
 * A delivery this instance has leased and must send: the row with what a sender needs from its
 * event and subscriber.
 *
 * @param target  the subscriber's settings as its kind keeps them (a webhook's {@code url}, say); read, never change
 * @param attempt the number of this attempt, 1 for the first
 * @param payload the payload frozen when the event was recorded, as JSON text
 * @param secrets the subscriber's signing secrets in force, newest first; empty when it has none
 * @param createdAt when the delivery was written, in the transaction that recorded the event
 * @param orderingKey the event's ordering key for a subscriber that keeps order (a broker keys its
 *                  records by it); null for the others, and for events without one
 * @param tenantId  the tenant the event belongs to; null for an event of the installation
 * @param schemaVersion the version of its type's schemas the payload was rendered with; 0 for an
 *                  event recorded before versions were kept, whose version is the type's current one
 * @param traceparent the W3C trace context to send with it (the event's, or its attempt's where the
 *                  application traces); null when the event was recorded outside any trace
 * @param tracestate its W3C {@code tracestate}, or null
 * @param credentials what the subscriber keeps sealed for its receiver besides its secrets (a
 *                  webhook's own headers), opened: an empty object for none. Read, never change, never log
 */
@PublicApi
public record ClaimedDelivery(UUID id, UUID eventId, UUID subscriberId, String subscriberKind, ObjectNode target,
        String eventType, Instant occurredAt, int attempt, String payload, List<String> secrets, Instant createdAt,
        String orderingKey, UUID tenantId, int schemaVersion, String traceparent, String tracestate, ObjectNode credentials) {

    /** A delivery whose subscriber keeps no credentials. */
    public ClaimedDelivery(UUID id, UUID eventId, UUID subscriberId, String subscriberKind, ObjectNode target,
            String eventType, Instant occurredAt, int attempt, String payload, List<String> secrets, Instant createdAt,
            String orderingKey, UUID tenantId, int schemaVersion, String traceparent, String tracestate) {
        this(id, eventId, subscriberId, subscriberKind, target, eventType, occurredAt, attempt, payload, secrets, createdAt,
                orderingKey, tenantId, schemaVersion, traceparent, tracestate, JsonNodeFactory.instance.objectNode());
    }

    /** A delivery recorded outside any trace. */
    public ClaimedDelivery(UUID id, UUID eventId, UUID subscriberId, String subscriberKind, ObjectNode target,
            String eventType, Instant occurredAt, int attempt, String payload, List<String> secrets, Instant createdAt,
            String orderingKey, UUID tenantId, int schemaVersion) {
        this(id, eventId, subscriberId, subscriberKind, target, eventType, occurredAt, attempt, payload, secrets, createdAt,
                orderingKey, tenantId, schemaVersion, null, null);
    }

    /** The same delivery, sent with another trace context. */
    public ClaimedDelivery withTrace(String traceparent, String tracestate) {
        return new ClaimedDelivery(id, eventId, subscriberId, subscriberKind, target, eventType, occurredAt, attempt, payload,
                secrets, createdAt, orderingKey, tenantId, schemaVersion, traceparent, tracestate, credentials);
    }

    /** A delivery whose payload's version is the type's current one. */
    public ClaimedDelivery(UUID id, UUID eventId, UUID subscriberId, String subscriberKind, ObjectNode target,
            String eventType, Instant occurredAt, int attempt, String payload, List<String> secrets, Instant createdAt,
            String orderingKey, UUID tenantId) {
        this(id, eventId, subscriberId, subscriberKind, target, eventType, occurredAt, attempt, payload, secrets, createdAt,
                orderingKey, tenantId, 0);
    }

    /** A delivery without an ordering key, of no tenant. */
    public ClaimedDelivery(UUID id, UUID eventId, UUID subscriberId, String subscriberKind, ObjectNode target,
            String eventType, Instant occurredAt, int attempt, String payload, List<String> secrets, Instant createdAt) {
        this(id, eventId, subscriberId, subscriberKind, target, eventType, occurredAt, attempt, payload, secrets, createdAt, null, null, 0);
    }
}
