package io.tidings.outbox;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (RFC 9562 version 7), the same kind the database's {@code tidings_uuid_v7()}
 * makes: new rows land at the end of the primary-key index, and ids sort by creation time.
 */
public final class Ids {

    private Ids() {
    }

    public static UUID newId(Instant now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = now.toEpochMilli();
        long mostSignificant = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
