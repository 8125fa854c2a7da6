package io.tidings.outbox.internal;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (RFC 9562 version 7), the same kind the database's {@code tidings_uuid_v7()}
 * makes: new rows land at the end of the primary-key index, and ids sort by creation time.
 *
 * <p>Monotonic within a process (RFC 9562, 6.2, method 2): an id made in the same millisecond as the
 * last one, or after the clock stepped back, is the last one plus one. The order of a writer's
 * event ids is then the order it recorded them, which ordered delivery relies on.
 */
public final class Ids {

    private static final long RANDOM_B = 0x3FFFFFFFFFFFFFFFL;
    private static final long VARIANT = 0x8000000000000000L;
    private static long lastMillis;
    private static long lastRandomA;
    private static long lastRandomB;

    private Ids() {
    }

    /** The lowest id of an event recorded at or after {@code at}: ids sort by their time first. */
    public static UUID lowestAt(Instant at) {
        return new UUID((at.toEpochMilli() << 16) | 0x7000L, VARIANT);
    }

    public static UUID newId(Instant now) {
        long millis;
        long randomA;
        long randomB;
        synchronized (Ids.class) {
            if (now.toEpochMilli() > lastMillis) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                lastMillis = now.toEpochMilli();
                lastRandomA = random.nextLong() & 0x07FFL; // the top bit left free, so that increments rarely carry into time
                lastRandomB = random.nextLong() & RANDOM_B;
            } else if (lastRandomB < RANDOM_B) {
                lastRandomB++;
            } else if (lastRandomA < 0x0FFFL) {
                lastRandomA++;
                lastRandomB = 0;
            } else {
                lastMillis++;
                lastRandomA = 0;
                lastRandomB = 0;
            }
            millis = lastMillis;
            randomA = lastRandomA;
            randomB = lastRandomB;
        }
        return new UUID((millis << 16) | 0x7000L | randomA, randomB | VARIANT);
    }
}
