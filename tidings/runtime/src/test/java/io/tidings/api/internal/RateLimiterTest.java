package io.tidings.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void a_flood_of_new_keys_evicts_the_idle_ones_and_never_resets_a_client_still_sending() {
        RateLimiter limiter = new RateLimiter(2, 3);
        assertThat(limiter.take("abuser", 2)).isTrue();
        for (int i = 0; i < 10_000; i++) {
            limiter.take("fresh " + i, 1);
            assertThat(limiter.take("abuser", 1)).as("after %d new keys", i + 1).isFalse();
        }
        assertThat(limiter.take("fresh 0", 2)).as("evicted, so it starts afresh").isTrue();
    }
}
