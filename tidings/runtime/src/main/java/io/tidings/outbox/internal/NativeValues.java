package io.tidings.outbox.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Values as a native query through the EntityManager hands them back, which depends on the column and the driver. */
public final class NativeValues {

    private NativeValues() {
    }

    /** A {@code timestamptz} column's value. */
    public static Instant instant(Object value) {
        return value instanceof Timestamp timestamp ? timestamp.toInstant()
                : value instanceof OffsetDateTime offset ? offset.toInstant() : (Instant) value;
    }
}
