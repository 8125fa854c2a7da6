package io.tidings.sink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

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

    private static void assertInstant(Instant instant) {
        StringBuilder text = new StringBuilder();
        SinkRecords.appendInstant(text, instant);
        assertThat(text).hasToString(instant.toString());
    }
}
