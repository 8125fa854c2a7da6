package io.tidings.delivery;

import java.time.Duration;
import java.time.Instant;

import io.tidings.PublicApi;

/**
 * What one attempt to send a delivery came to.
 *
 * @param statusCode the receiver's HTTP status, or null when no response came (refused, timed out)
 * @param excerpt    the start of the response body, or null
 * @param error      why the attempt failed without a response, or null
 * @param retryAfter how long the receiver asked us to wait (Retry-After), or null
 * @param rejected   the receiver refused this very message and never will accept it
 */
@PublicApi
public record AttemptResult(Instant startedAt, Duration duration, Integer statusCode, String excerpt, String error,
        Duration retryAfter, boolean rejected) {

    private static final char REPLACEMENT = '\uFFFD';

    public AttemptResult {
        excerpt = storable(excerpt);
        error = storable(error);
    }

    // Receivers send any bytes. Senders decode them as UTF-8 with invalid sequences replaced, but NUL
    // is valid UTF-8 that PostgreSQL's text cannot hold: one such answer once failed a whole batch of
    // outcomes, over and over.
    private static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
    }

    public static AttemptResult response(Instant startedAt, Duration duration, int statusCode, String excerpt,
            Duration retryAfter) {
        return new AttemptResult(startedAt, duration, statusCode, excerpt, null, retryAfter, false);
    }

    /** @param error why it failed; never null, since a result with neither a status nor an error is a success */
    public static AttemptResult failure(Instant startedAt, Duration duration, String error) {
        return new AttemptResult(startedAt, duration, null, null, error == null ? "failed" : error, null, false);
    }

    /** A sink that speaks no HTTP took the message: a file forced to disk, a broker's acknowledgement. */
    public static AttemptResult accepted(Instant startedAt, Duration duration, String excerpt) {
        return new AttemptResult(startedAt, duration, null, excerpt, null, null, false);
    }

    /** The receiver refused this message for good, for the reason given: it is dead at once. */
    public AttemptResult asRejected(String reason) {
        return new AttemptResult(startedAt, duration, statusCode, excerpt, reason, null, true);
    }

    public boolean successful() {
        return statusCode == null ? error == null && !rejected : statusCode >= 200 && statusCode < 300;
    }

    /** 410 Gone: the receiver says this endpoint will never accept the message. */
    public boolean gone() {
        return statusCode != null && statusCode == 410;
    }

    /** A short description for the delivery's last_error and the log. */
    public String describe() {
        if (error != null) {
            return error;
        }
        return statusCode != null ? "HTTP " + statusCode : "accepted" + (excerpt == null ? "" : ": " + excerpt);
    }
}
