package io.tidings.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.PublicApi;

/**
 * Sends deliveries to one kind of subscriber. Implementations are CDI beans; the worker picks the
 * one whose {@link #kind()} matches the subscriber's {@code kind} column, and claims deliveries only
 * for kinds that have a sender.
 *
 * <p>{@link #send} is called outside any transaction and must not block the calling thread. It
 * never completes exceptionally for a failed attempt: a refused connection, a timeout or an error
 * status are all an {@link AttemptResult}. An exceptional completion is treated as a failed attempt
 * with the exception as its error.
 */
@PublicApi
public interface DeliverySender {

    /** The subscriber kind this sender serves, as in {@code subscribers.kind}. */
    String kind();

    /** Sends one delivery. A kind that sends in batches need not implement it: one goes as a batch of one. */
    default CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
        return sendBatch(List.of(delivery)).thenApply(results -> results.get(0));
    }

    /**
     * Most deliveries sent together in one request. 1, the default, sends each on its own with
     * {@link #send}; more makes the worker claim up to that many at once and call {@link #sendBatch}.
     */
    default int batchSize() {
        return 1;
    }

    /**
     * Sends deliveries of one kind together. Completes with one result per delivery, in the order
     * given; like {@link #send}, it does not complete exceptionally for a failed attempt.
     */
    default CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> batch) {
        throw new UnsupportedOperationException(kind() + " sends deliveries one at a time");
    }

    /**
     * Checks a subscriber's settings ({@code target}) before they are saved, and may fill in its
     * defaults. @throws InvalidTarget naming the setting that is wrong
     */
    default void checkTarget(ObjectNode target) {
    }

    /**
     * The longest one {@link #send} or {@link #sendBatch} can take before its stage completes, failed
     * if need be: its lookups, connects and waits for an answer together. A delivery of this kind is
     * leased for at least 1.5 times this (a stream of this kind likewise), and an attempt starts only
     * while its lease covers it, so that no other instance sends the same message meanwhile. A bound
     * too short risks that; one too long only delays taking over from an instance that died.
     * Defaults to 30s.
     */
    default Duration longestAttempt() {
        return Duration.ofSeconds(30);
    }

    /** Whether this kind keeps each key's order whatever its subscribers ask: a broker's partitions do. */
    default boolean alwaysOrdered() {
        return false;
    }

    /**
     * How many deliveries of one ordered key a batch may carry, in event order. 1, the default, keeps
     * one delivery of a key in flight at a time. More is for a sender that keeps a batch's order per
     * key (an idempotent Kafka producer keeps a partition's) and that reports every later delivery
     * of a key as failed once an earlier one of that key failed, so that none overtakes it.
     */
    default int deliveriesPerKey() {
        return 1;
    }

    /** A subscriber's settings that its kind refuses. */
    @PublicApi
    class InvalidTarget extends IllegalArgumentException {

        private final String setting;

        public InvalidTarget(String setting, String message) {
            super(message);
            this.setting = setting;
        }

        /** The setting at fault, such as {@code directory}. */
        public String setting() {
            return setting;
        }
    }
}
