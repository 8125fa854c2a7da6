package io.tidings.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;

/** A claimed batch may span subscribers (the claim fills it from one after another); a sink sends per subscriber. */
public final class BySubscriber {

    private BySubscriber() {
    }

    /** The results of sending each subscriber's part, in the order of the batch. */
    public static List<AttemptResult> each(List<ClaimedDelivery> batch, Function<List<ClaimedDelivery>, List<AttemptResult>> send) {
        Map<UUID, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            positions.computeIfAbsent(batch.get(i).subscriberId(), id -> new ArrayList<>()).add(i);
        }
        AttemptResult[] results = new AttemptResult[batch.size()];
        for (List<Integer> part : positions.values()) {
            List<AttemptResult> sent = send.apply(part.stream().map(batch::get).toList());
            for (int i = 0; i < part.size(); i++) {
                results[part.get(i)] = sent.get(i);
            }
        }
        return List.of(results);
    }
}
