package io.tidings.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.tidings.PublicApi;

/**
 * What one attempt to send a delivery came to, in the terms every kind shares: delivered, failed
 * for now (tried again on the retry schedule, or after the wait the receiver asked for), or gone for
 * good (dead at once). What a kind's own protocol answered, an HTTP status say, rides along for the
 * attempt log and the API; the core never reads meaning into it.
 *
 * @param outcome    what the attempt came to
 * @param statusCode the receiver's status code, where its protocol has one (an HTTP status); else null
 * @param excerpt    the start of the receiver's answer, or null
 * @param error      why the attempt failed, or null
 * @param retryAfter how long the receiver asked to be left alone before the next attempt, or null
 */
@PublicApi
public record AttemptResult(Instant startedAt, Duration duration, Outcome outcome, Integer statusCode, String excerpt,
        String error, Duration retryAfter) {

    private static final char REPLACEMENT = '\uFFFD';

    /** What an attempt came to. */
    @PublicApi
    public enum Outcome {
        /** The receiver took the message. */
        DELIVERED,
        /** It did not, for now: the delivery is tried again. */
        FAILED,
        /** The receiver will never take this message: the delivery is dead at once. */
        GONE
    }

    public AttemptResult {
        Objects.requireNonNull(outcome, "outcome");
        excerpt = storable(excerpt);
        error = storable(error);
    }

    // Receivers send any bytes. Senders decode them as UTF-8 with invalid sequences replaced, but NUL
    // is valid UTF-8 that PostgreSQL's text cannot hold: one such answer once failed a whole batch of
    // outcomes, over and over.
    private static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
    }

    /** The receiver took the message; {@code excerpt} is what it answered (a broker's offset, say), or null. */
    public static AttemptResult delivered(Instant startedAt, Duration duration, String excerpt) {
        return new AttemptResult(startedAt, duration, Outcome.DELIVERED, null, excerpt, null, null);
    }

    /** The attempt failed, for now. @param error why; never null for a failure, so "failed" stands in for it */
    public static AttemptResult failed(Instant startedAt, Duration duration, String error) {
        return new AttemptResult(startedAt, duration, Outcome.FAILED, null, null, error == null ? "failed" : error, null);
    }

    /** The same result, gone for good for the reason given: the delivery is dead at once. */
    public AttemptResult asGone(String reason) {
        return new AttemptResult(startedAt, duration, Outcome.GONE, statusCode, excerpt, reason, null);
    }

    /** The same failure, with the wait the receiver asked for before the next attempt. */
    public AttemptResult withRetryAfter(Duration wait) {
        return new AttemptResult(startedAt, duration, outcome, statusCode, excerpt, error, wait);
    }

    /** The same result, with the status code and the start of the answer the receiver's protocol gave. */
    public AttemptResult withAnswer(Integer code, String answer) {
        return new AttemptResult(startedAt, duration, outcome, code, answer, error, retryAfter);
    }

    public boolean successful() {
        return outcome == Outcome.DELIVERED;
    }

    /** A short description for the delivery's last_error and the log. */
    public String describe() {
        if (error != null) {
            return error;
        }
        if (statusCode != null) {
            return "status " + statusCode;
        }
        return "delivered" + (excerpt == null ? "" : ": " + excerpt);
    }
}
