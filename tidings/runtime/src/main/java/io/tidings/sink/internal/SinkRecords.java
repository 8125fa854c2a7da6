package io.tidings.sink.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.delivery.ClaimedDelivery;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.sink.SinkRecordFormat;
import io.tidings.analytics.internal.TelemetryCapsules;

/** What every sink writes per record ({@link SinkRecordFormat}). */
@Singleton
public class SinkRecords implements SinkRecordFormat {

    private static final long FIRST_SECOND_OF_YEAR_1 = -62135596800L;
    private static final long LAST_SECOND_OF_YEAR_9999 = 253402300799L;
    private static final int[] POWERS_OF_TEN = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000 };

    /** {@code target.record}, set when the sink is saved from the payload it takes. */
    public static final String RECORD = "record";
    public static final String CAPSULE = "capsule";
    public static final String MESSAGE = "message";

    @Inject
    TelemetryCapsules capsules;
    @Inject
    EventTypeRegistry types;

    @Override
    public int schemaVersion(ClaimedDelivery delivery) {
        return types.rendered(delivery.eventType(), delivery.schemaVersion()).schemaVersion();
    }

    @Override
    public String json(ClaimedDelivery delivery) {
        if (CAPSULE.equals(delivery.target().path(RECORD).asText())) {
            return capsules.capsule(delivery);
        }
        // Event types are [a-z0-9_:], ids and ISO instants need no escaping either.
        StringBuilder json = new StringBuilder(delivery.payload().length() + 128);
        json.append("{\"id\":\"").append(delivery.eventId()).append("\",\"type\":\"").append(delivery.eventType())
                .append("\",\"timestamp\":\"");
        appendInstant(json, delivery.occurredAt());
        json.append('"');
        if (delivery.traceparent() != null && delivery.traceparent().matches("[0-9a-f-]{55}")) {
            json.append(",\"traceparent\":\"").append(delivery.traceparent()).append('"');
        }
        return json.append(",\"data\":").append(delivery.payload()).append('}').toString();
    }

    /**
     * Appends what {@link Instant#toString()} returns, without the formatter behind it: a sink
     * writes one per record, and the formatter stood out in a stream's profile.
     */
    static void appendInstant(StringBuilder out, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND_OF_YEAR_1 || seconds > LAST_SECOND_OF_YEAR_9999) {
            out.append(instant); // a sign, or more than four digits of year
            return;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        digits(out, time.getYear(), 4).append('-');
        digits(out, time.getMonthValue(), 2).append('-');
        digits(out, time.getDayOfMonth(), 2).append('T');
        digits(out, time.getHour(), 2).append(':');
        digits(out, time.getMinute(), 2).append(':');
        digits(out, time.getSecond(), 2);
        int nanos = instant.getNano();
        if (nanos > 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                digits(out, nanos / 1_000, 6);
            } else {
                digits(out, nanos, 9);
            }
        }
        out.append('Z');
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        for (int place = width - 1; place > 0 && value < POWERS_OF_TEN[place]; place--) {
            out.append('0');
        }
        return out.append(value);
    }
}
