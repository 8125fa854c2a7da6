package io.tidings.it.support;

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
 * keeps what it is sent in memory, filed under the {@code bucket} of its subscriber's settings. A
 * delivery to the bucket {@code held} is answered only when a test {@linkplain #answerHeld answers} it.
 */
@Singleton
public class CollectingSender implements DeliverySender {

    public static final String KIND = "collecting";

    /** Longer than {@code tidings.worker.lease}'s default, as a kind that writes to a slow store might declare. */
    public static final java.time.Duration LONGEST_ATTEMPT = java.time.Duration.ofSeconds(100);

    private final List<ClaimedDelivery> received = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public java.time.Duration longestAttempt() {
        return LONGEST_ATTEMPT;
    }

    @Override
    public CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
        received.add(delivery);
        AttemptResult filed = AttemptResult.delivered(java.time.Instant.now(), java.time.Duration.ZERO,
                "filed in " + delivery.target().path("bucket").asText());
        if (delivery.target().path("bucket").asText().equals("held")) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            held.add(answer);
            return answer.thenApply(ignored -> filed);
        }
        return CompletableFuture.completedFuture(filed);
    }

    /** Answers every delivery held so far: filed. */
    public void answerHeld() {
        held.forEach(answer -> answer.complete(null));
        held.clear();
    }

    public List<ClaimedDelivery> received() {
        return received;
    }
}
