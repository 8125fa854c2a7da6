package io.tidings.support;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;

/**
 * A subscriber kind that lives in the test sources only, to show that a kind is one class: it
 * keeps what it is sent in memory, filed under the {@code bucket} of its subscriber's settings.
 */
@Singleton
public class CollectingSender implements DeliverySender {

    public static final String KIND = "collecting";

    private final List<ClaimedDelivery> received = new CopyOnWriteArrayList<>();

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
        received.add(delivery);
        return CompletableFuture.completedFuture(AttemptResult.delivered(java.time.Instant.now(), java.time.Duration.ZERO,
                "filed in " + delivery.target().path("bucket").asText()));
    }

    public List<ClaimedDelivery> received() {
        return received;
    }
}
