package io.tidings.it.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;

/**
 * Senders that break the {@link DeliverySender} contract, for subscriber kinds that only
 * {@link MisbehavingSenderTest} creates: one throws instead of returning a stage, one answers a
 * batch with a result too few.
 */
final class MisbehavingSenders {

    static final String THROWING = "test-throwing";
    static final String MISCOUNTING = "test-miscounting";

    private MisbehavingSenders() {
    }

    @Singleton
    static class Throwing implements DeliverySender {

        @Override
        public String kind() {
            return THROWING;
        }

        @Override
        public CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
            throw new IllegalStateException("the test sender throws");
        }
    }

    @Singleton
    static class Miscounting implements DeliverySender {

        @Override
        public String kind() {
            return MISCOUNTING;
        }

        @Override
        public int batchSize() {
            return 10;
        }

        @Override
        public CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
            throw new UnsupportedOperationException("sends batches");
        }

        @Override
        public CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> batch) {
            AttemptResult delivered = AttemptResult.delivered(Instant.now(), Duration.ZERO, null);
            return CompletableFuture.completedFuture(Collections.nCopies(batch.size() - 1, delivered));
        }
    }
}
