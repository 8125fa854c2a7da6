package io.tidings.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tidings.delivery.DeliverySender;

class KindLeaseTest {

    @Test
    void a_kind_whose_attempts_fit_keeps_the_configured_lease() {
        assertThat(KindLease.of(Duration.ofSeconds(60), taking(Duration.ofSeconds(25)), "tidings.worker.lease"))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(KindLease.of(Duration.ofSeconds(60), taking(Duration.ofSeconds(40)), "tidings.worker.lease"))
                .as("renewed every third, two thirds of it cover an attempt exactly").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void a_kind_whose_attempts_take_longer_is_leased_for_one_and_a_half_of_them() {
        assertThat(KindLease.of(Duration.ofSeconds(30), taking(Duration.ofSeconds(45)), "tidings.streams.lease"))
                .isEqualTo(Duration.ofMillis(67_500));
    }

    @Test
    void a_kind_that_declares_nothing_counts_on_thirty_seconds() {
        assertThat(KindLease.of(Duration.ofSeconds(5), () -> "plain", "tidings.worker.lease")).isEqualTo(Duration.ofSeconds(45));
    }

    private static DeliverySender taking(Duration longest) {
        return new DeliverySender() {
            @Override
            public String kind() {
                return "slow";
            }

            @Override
            public Duration longestAttempt() {
                return longest;
            }
        };
    }
}
