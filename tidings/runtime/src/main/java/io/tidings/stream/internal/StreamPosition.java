package io.tidings.stream.internal;

import java.time.Instant;

/**
 * Where a stream is in the log. Every event of a transaction visible in {@code doneSnapshot} has
 * been sent; {@code doneLow} is a position read before that snapshot was taken, below every event of
 * a transaction that began after it. When a window is open ({@code windowSnapshot} not null), the
 * events visible in it and not in {@code doneSnapshot} are being sent in position order, up to
 * {@code after}; {@code windowHigh} is above all of them.
 *
 * @param doneAt when the done snapshot was taken: every event committed before then has been sent
 */
public record StreamPosition(String doneSnapshot, long doneLow, Instant doneAt, String windowSnapshot, long windowLow,
        long windowHigh, Instant windowAt, long after) {

    boolean inWindow() {
        return windowSnapshot != null;
    }

    StreamPosition opened(long low, String snapshot, long high, Instant at) {
        return new StreamPosition(doneSnapshot, doneLow, doneAt, snapshot, low, high, at, 0);
    }

    /** In the same window, sent up to {@code position}. */
    StreamPosition sentUpTo(long position) {
        return new StreamPosition(doneSnapshot, doneLow, doneAt, windowSnapshot, windowLow, windowHigh, windowAt, position);
    }

    /** The window finished: its snapshot is done. */
    StreamPosition finished() {
        return new StreamPosition(windowSnapshot, windowLow, windowAt, null, 0, 0, null, 0);
    }
}
