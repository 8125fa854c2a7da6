package io.tidings.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AttemptResultTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void a_sink_without_http_is_described_by_what_took_the_message() {
        AttemptResult accepted = AttemptResult.accepted(NOW, Duration.ZERO, "events-2@41");

        assertThat(accepted.successful()).isTrue();
        assertThat(accepted.describe()).isEqualTo("accepted: events-2@41");
        assertThat(AttemptResult.response(NOW, Duration.ZERO, 503, null, null).describe()).isEqualTo("HTTP 503");
        assertThat(AttemptResult.failure(NOW, Duration.ZERO, null).successful()).isFalse();
    }
}
