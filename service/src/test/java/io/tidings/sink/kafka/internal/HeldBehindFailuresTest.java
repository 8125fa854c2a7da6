package io.tidings.sink.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;

/** A pipelined batch's results: nothing of a key overtakes a record of it that will be tried again. */
class HeldBehindFailuresTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final AttemptResult OK = AttemptResult.accepted(NOW, Duration.ofMillis(3), "t-0@1");
    private static final AttemptResult DOWN = AttemptResult.failure(NOW, Duration.ofMillis(3), "TimeoutException: expired");
    private static final AttemptResult TOO_LARGE = DOWN.asRejected("RecordTooLargeException: too large");

    @Test
    void after_a_retriable_failure_the_later_records_of_its_key_fail_and_other_keys_do_not() {
        List<AttemptResult> results = KafkaSender.heldBehindFailures(
                List.of(delivery("a"), delivery("b"), delivery("a"), delivery("a"), delivery("b"), delivery(null)),
                List.of(DOWN, OK, OK, DOWN, OK, OK));

        assertThat(results).extracting(AttemptResult::successful).containsExactly(false, true, false, false, true, true);
        assertThat(results.get(2).error()).startsWith("held back: an earlier record of its key failed");
        assertThat(results.get(2).rejected()).isFalse();
        assertThat(results.get(3)).isSameAs(DOWN);
    }

    @Test
    void a_dead_record_holds_nothing_back() {
        List<AttemptResult> results = KafkaSender.heldBehindFailures(List.of(delivery("a"), delivery("a")), List.of(TOO_LARGE, OK));
        assertThat(results).containsExactly(TOO_LARGE, OK);
    }

    private static ClaimedDelivery delivery(String key) {
        return new ClaimedDelivery(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "kafka", null, "project:created",
                NOW, 1, "{}", List.of(), NOW, key, null);
    }
}
