package io.tidings.stream;

import java.util.List;
import java.util.concurrent.CompletionStage;

import io.tidings.PublicApi;
import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;

/**
 * Sends to a kind of sink that takes ordered batches: a broker's topic, a directory of files. A
 * kind takes this shape by implementing this interface rather than {@link DeliverySender} alone.
 * Its subscribers get no row per event: each keeps one cursor into the events, and one reader at a
 * time, in any instance, hands {@link #sendBatch} the events past the cursor, in commit order, and
 * moves the cursor once the batch is answered.
 *
 * <p>A record reaches {@link #sendBatch} as a {@link ClaimedDelivery} whose {@code id} is the
 * same on every send of its event to its subscriber (as a delivery's is) and whose {@code attempt}
 * counts the tries of its batch. Each result says what became
 * of its record: {@linkplain AttemptResult#successful() delivered}; failed for now (a broker down, a
 * full disk), when the stream waits on a backoff of its own and sends it again with every record
 * after it, so that order is kept; or {@linkplain AttemptResult#asGone gone for good} (too
 * large, not authorised), when it is kept as a dead delivery with its reason and the stream moves
 * on. A dead record that is retried goes alone through {@link #send}, after its successors.
 */
@PublicApi
public interface StreamSender extends DeliverySender {

    /**
     * Sends one stream's records, in the order given, which is the order in which their events
     * were committed. Completes with one result per record, in that order, and does not complete
     * exceptionally for a failed attempt.
     */
    @Override
    CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> records);

    /** Most records handed to {@link #sendBatch} at once. Defaults to 1000. */
    default int recordsPerBatch() {
        return 1000;
    }
}
