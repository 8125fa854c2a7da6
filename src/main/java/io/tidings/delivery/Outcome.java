package io.tidings.delivery;

/** A finished attempt and what the retry policy decided after it, waiting to be written. */
public record Outcome(ClaimedDelivery delivery, AttemptResult result, RetryPolicy.Decision decision) {
}
