package io.tidings.outbox.internal;

/**
 * The delete retention runs on {@code events}, a batch at a time: events recorded before the given
 * time that no delivery refers to and that every stream has read (a stream marked behind holds
 * nothing back). It takes the time, then the batch size, and skips rows others hold.
 */
public final class EventRetention {

    public static final String UNREFERENCED = """
            DELETE FROM events WHERE id IN (
                SELECT e.id FROM events e
                 WHERE e.recorded_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
                   AND (e.txid IS NULL OR e.txid < (SELECT tidings_stream_horizon()))
                 LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    private EventRetention() {
    }
}
