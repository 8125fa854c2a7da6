package io.tidings.outbox;

import java.util.UUID;

import io.tidings.PublicApi;

/**
 * An idempotency key in force was given with a different event: another type, tenant or payload
 * than the one recorded under it. Nothing was recorded; the caller either retried with changed
 * input or used one key for two facts.
 */
@PublicApi
public class IdempotencyKeyReused extends IllegalStateException {

    private final String key;
    private final UUID recordedEventId;

    public IdempotencyKeyReused(String key, UUID recordedEventId) {
        super("Idempotency key '" + key + "' already recorded event " + recordedEventId
                + " with a different type, tenant or payload; use a new key for a new fact");
        this.key = key;
        this.recordedEventId = recordedEventId;
    }

    public String key() {
        return key;
    }

    /** The event recorded under the key. */
    public UUID recordedEventId() {
        return recordedEventId;
    }
}
