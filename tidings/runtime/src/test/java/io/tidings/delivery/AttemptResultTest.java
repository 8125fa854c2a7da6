package io.tidings.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AttemptResultTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void a_result_is_described_by_its_error_or_by_what_took_the_message() {
        AttemptResult delivered = AttemptResult.delivered(NOW, Duration.ZERO, "events-2@41");

        assertThat(delivered.successful()).isTrue();
        assertThat(delivered.describe()).isEqualTo("delivered: events-2@41");
        assertThat(AttemptResult.delivered(NOW, Duration.ZERO, null).withAnswer(204, "ok").describe()).isEqualTo("status 204");
        AttemptResult failed = AttemptResult.failed(NOW, Duration.ZERO, null);
        assertThat(failed.successful()).isFalse();
        assertThat(failed.describe()).isEqualTo("failed");
        assertThat(failed.asGone("too large").outcome()).isEqualTo(AttemptResult.Outcome.GONE);
    }
}
