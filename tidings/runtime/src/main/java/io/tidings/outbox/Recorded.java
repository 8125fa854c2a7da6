package io.tidings.outbox;

import java.util.UUID;

import io.tidings.PublicApi;

/**
 * What {@link Outbox#registerEvent(Event, String)} did with an event and its idempotency key.
 *
 * @param eventId the event recorded under the key: this one's, or the first one's when {@code recorded} is false
 * @param recorded whether this call recorded the event; false when an earlier one had recorded the same under the key
 */
@PublicApi
public record Recorded(UUID eventId, boolean recorded) {
}
