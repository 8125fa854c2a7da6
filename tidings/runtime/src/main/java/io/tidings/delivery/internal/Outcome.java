package io.tidings.delivery.internal;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;

/** A finished attempt and what the retry policy decided after it, waiting to be written. */
public record Outcome(ClaimedDelivery delivery, AttemptResult result, RetryPolicy.Decision decision) {

    /** The same outcome without what the receiver sent, and with {@code reason} as its error texts. */
    Outcome withoutResponse(String reason) {
        AttemptResult bare = new AttemptResult(result.startedAt(), result.duration(), result.outcome(), result.statusCode(), null,
                reason, result.retryAfter());
        return new Outcome(delivery, bare, new RetryPolicy.Decision(decision.status(), decision.nextAttemptAt(),
                decision.error() == null ? null : reason));
    }
}
