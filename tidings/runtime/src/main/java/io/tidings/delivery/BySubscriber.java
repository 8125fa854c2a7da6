package io.tidings.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.tidings.PublicApi;

/**
 * A claimed batch may span subscribers (the claim fills it from one after another), while a batch
 * sender sends to one destination at a time: this splits the batch by subscriber and puts the
 * results back in the batch's order.
 */
@PublicApi
public final class BySubscriber {

    private BySubscriber() {
    }

    /** Sends each subscriber's part (all at once) and completes with one result per delivery, in the order of the batch. */
    public static CompletionStage<List<AttemptResult>> each(List<ClaimedDelivery> batch,
            Function<List<ClaimedDelivery>, CompletionStage<List<AttemptResult>>> send) {
        if (!batch.isEmpty() && oneSubscriber(batch)) {
            return send.apply(batch); // a stream's batch, always
        }
        Map<UUID, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            positions.computeIfAbsent(batch.get(i).subscriberId(), id -> new ArrayList<>()).add(i);
        }
        AttemptResult[] results = new AttemptResult[batch.size()];
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (List<Integer> part : positions.values()) {
            parts.add(send.apply(part.stream().map(batch::get).toList()).toCompletableFuture().thenAccept(sent -> {
                for (int i = 0; i < part.size(); i++) {
                    results[part.get(i)] = sent.get(i);
                }
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> List.of(results));
    }

    private static boolean oneSubscriber(List<ClaimedDelivery> batch) {
        UUID first = batch.get(0).subscriberId();
        for (ClaimedDelivery delivery : batch) {
            if (!delivery.subscriberId().equals(first)) {
                return false;
            }
        }
        return true;
    }
}
