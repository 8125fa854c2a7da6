package io.tidings.webhook.internal;

import io.tidings.delivery.ClaimedDelivery;

/**
 * The body of a webhook message: {@code {"type": ..., "timestamp": ..., "data": <payload>}}. The
 * payload is spliced in as the JSON text stored in the outbox, without parsing it again.
 */
final class WebhookMessage {

    private WebhookMessage() {
    }

    // Event types are [a-z0-9_:] and ISO instants need no escaping either.
    static String body(ClaimedDelivery delivery) {
        return "{\"type\":\"" + delivery.eventType() + "\",\"timestamp\":\"" + delivery.occurredAt()
                + "\",\"data\":" + delivery.payload() + "}";
    }
}
