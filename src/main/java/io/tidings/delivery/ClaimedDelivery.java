package io.tidings.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery this instance has leased and must send: the row with what a sender needs from its
 * event and subscriber.
 *
 * @param attempt the number of this attempt, 1 for the first
 * @param payload the payload frozen when the event was recorded, as JSON text
 */
public record ClaimedDelivery(UUID id, UUID eventId, UUID subscriberId, String subscriberKind, String url,
        String eventType, Instant occurredAt, int attempt, String payload) {
}
