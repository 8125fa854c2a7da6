package io.tidings.sink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.tidings.delivery.ClaimedDelivery;

class SinkRecordsTest {

    @Test
    void a_record_writes_an_instant_as_instant_to_string_does() {
        SplittableRandom random = new SplittableRandom(26);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertInstant(Instant.ofEpochSecond(seconds, nanos));
        }
        assertInstant(Instant.parse("0001-01-01T00:00:00Z"));
        assertInstant(Instant.parse("9999-12-31T23:59:59.999999999Z"));
        assertInstant(Instant.parse("2026-12-05T11:01:02.000100Z"));
        assertInstant(Instant.EPOCH);
    }

    @Test
    void a_line_carries_the_trace_its_event_was_recorded_in_and_nothing_malformed() {
        ClaimedDelivery delivery = new ClaimedDelivery(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "file",
                JsonNodeFactory.instance.objectNode(), "order:placed", Instant.EPOCH, 1, "{\"order\":{}}", List.of(), Instant.EPOCH);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        assertThat(new SinkRecords().json(delivery)).doesNotContain("traceparent");
        assertThat(new SinkRecords().json(delivery.withTrace(traceparent, "vendor=\"x\"")))
                .isEqualTo("{\"id\":\"" + delivery.eventId() + "\",\"type\":\"order:placed\",\"timestamp\":\"1970-01-01T00:00:00Z\","
                        + "\"traceparent\":\"" + traceparent + "\",\"data\":{\"order\":{}}}");
        assertThat(new SinkRecords().json(delivery.withTrace("00-\"},\"x\":{", null))).doesNotContain("traceparent");
    }

    private static void assertInstant(Instant instant) {
        StringBuilder text = new StringBuilder();
        SinkRecords.appendInstant(text, instant);
        assertThat(text).hasToString(instant.toString());
    }
}
