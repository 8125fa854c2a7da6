package io.tidings.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tidings.delivery.AttemptResult;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)), 0.2,
            Duration.ofHours(1));
    private final Random random = new Random(42);

    @Test
    void a_delivered_attempt_is_delivered() {
        assertThat(policy.decide(1, AttemptResult.delivered(NOW, Duration.ZERO, null), NOW, random).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void failures_wait_each_step_give_or_take_the_jitter_then_die_after_the_last() {
        for (int i = 0; i < 1000; i++) {
            RetryPolicy.Decision first = policy.decide(1, failed(null), NOW, random);
            assertThat(first.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(Duration.between(NOW, first.nextAttemptAt())).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
            RetryPolicy.Decision second = policy.decide(2, failed(null), NOW, random);
            assertThat(Duration.between(NOW, second.nextAttemptAt())).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
        }
        RetryPolicy.Decision third = policy.decide(3, AttemptResult.failed(NOW, Duration.ZERO, "Connection refused"), NOW, random);
        assertThat(third.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(third.error()).isEqualTo("gave up after 3 attempts; the last: Connection refused");
    }

    @Test
    void gone_is_dead_at_once() {
        RetryPolicy.Decision gone = policy.decide(1, failed(null).asGone("too large for the topic"), NOW, random);
        assertThat(gone.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(gone.error()).isEqualTo("refused for good by the receiver: too large for the topic");
    }

    @Test
    void retry_after_replaces_the_step_up_to_its_bound() {
        assertThat(policy.decide(1, failed(Duration.ofSeconds(90)), NOW, random).nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(90));
        assertThat(policy.decide(1, failed(Duration.ofDays(2)), NOW, random).nextAttemptAt())
                .isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void a_jitter_outside_zero_to_one_is_refused() {
        assertThatThrownBy(() -> new RetryPolicy(List.of(), 1.5, Duration.ZERO))
                .hasMessageContaining("tidings.delivery.retry-jitter");
    }

    private static AttemptResult failed(Duration retryAfter) {
        return AttemptResult.failed(NOW, Duration.ofMillis(3), "unavailable").withRetryAfter(retryAfter);
    }
}
