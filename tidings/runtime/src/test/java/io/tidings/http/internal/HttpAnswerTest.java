package io.tidings.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.AttemptResult.Outcome;

/** What an HTTP status means for a delivery: the HTTP kinds decide it, the core only reads the outcome. */
class HttpAnswerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void a_2xx_is_delivered_410_is_gone_and_anything_else_fails_honouring_retry_after() {
        AttemptResult ok = HttpPost.answered(NOW, Duration.ZERO, 204, "thanks", null);
        assertThat(ok.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.excerpt()).isEqualTo("thanks");

        AttemptResult gone = HttpPost.answered(NOW, Duration.ZERO, 410, null, Duration.ofSeconds(5));
        assertThat(gone.outcome()).isEqualTo(Outcome.GONE);
        assertThat(gone.describe()).isEqualTo("HTTP 410 Gone: the receiver no longer accepts these messages");

        AttemptResult busy = HttpPost.answered(NOW, Duration.ZERO, 503, "later", Duration.ofSeconds(90));
        assertThat(busy.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(busy.describe()).isEqualTo("HTTP 503");
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(HttpPost.answered(NOW, Duration.ZERO, 302, null, null).outcome()).isEqualTo(Outcome.FAILED);
    }
}
