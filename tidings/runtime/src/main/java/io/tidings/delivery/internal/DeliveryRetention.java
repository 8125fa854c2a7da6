package io.tidings.delivery.internal;

/**
 * The deletes retention runs on {@code deliveries} (attempts go with them), a batch at a time: each
 * takes the time before which rows go, then the batch size, and skips rows others hold.
 */
public final class DeliveryRetention {

    public static final String DELIVERED = """
            DELETE FROM deliveries WHERE id IN (
                SELECT id FROM deliveries WHERE status = 'delivered' AND delivered_at < ?
                 LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    public static final String DEAD = """
            DELETE FROM deliveries WHERE id IN (
                SELECT id FROM deliveries WHERE status = 'dead' AND next_attempt_at < ?
                 LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    /**
     * A disabled subscriber's pending rows wait, parked, for it to be enabled again; once it has been
     * disabled since before the given time, they go the way of dead ones.
     */
    public static final String PARKED = """
            DELETE FROM deliveries WHERE id IN (
                SELECT d.id FROM subscribers s JOIN deliveries d ON d.subscriber_id = s.id AND d.status = 'pending'
                 WHERE NOT s.enabled AND s.disabled_at < ?
                 LIMIT ? FOR UPDATE OF d SKIP LOCKED)
            """;

    private DeliveryRetention() {
    }
}
