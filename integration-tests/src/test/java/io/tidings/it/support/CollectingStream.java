package io.tidings.it.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.stream.StreamSender;

/**
 * A stream kind from the test sources: it keeps what it takes in memory, in the order it took it,
 * and fails or refuses the records a test names, as a sink of its own would.
 */
@Singleton
public class CollectingStream implements StreamSender {

    public static final String KIND = "collecting_stream";

    private final List<ClaimedDelivery> received = new CopyOnWriteArrayList<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private volatile Predicate<ClaimedDelivery> failing = record -> false;
    private volatile Predicate<ClaimedDelivery> refusing = record -> false;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int recordsPerBatch() {
        return 50;
    }

    /** A failure for now on the first record it matches makes the rest of the batch fail too, as a sink that keeps order does. */
    @Override
    public CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> records) {
        batchSizes.add(records.size());
        List<AttemptResult> results = new ArrayList<>(records.size());
        boolean failed = false;
        for (ClaimedDelivery record : records) {
            Instant now = Instant.now();
            if (failed || failing.test(record)) {
                failed = true;
                results.add(AttemptResult.failed(now, Duration.ZERO, "the collecting sink is down"));
            } else if (refusing.test(record)) {
                results.add(AttemptResult.failed(now, Duration.ZERO, "too large").asGone("too large for the collecting sink"));
            } else {
                received.add(record);
                results.add(AttemptResult.delivered(now, Duration.ZERO, "collected"));
            }
        }
        return CompletableFuture.completedFuture(results);
    }

    /** The events one stream sent, in order: a reader of an earlier test's stream may still send a batch. */
    public List<UUID> receivedEvents(UUID stream) {
        return received(stream).stream().map(ClaimedDelivery::eventId).toList();
    }

    public List<ClaimedDelivery> received(UUID stream) {
        return received.stream().filter(record -> record.subscriberId().equals(stream)).toList();
    }

    public void failWhile(Predicate<ClaimedDelivery> condition) {
        failing = condition;
    }

    public void refuse(Predicate<ClaimedDelivery> condition) {
        refusing = condition;
    }

    public void reset() {
        received.clear();
        batchSizes.clear();
        failing = record -> false;
        refusing = record -> false;
    }
}
