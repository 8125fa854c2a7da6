package io.tidings.ops.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.Outcome;
import io.tidings.delivery.internal.OutcomeObserver;

/**
 * Counts deliveries by subscriber kind and outcome, and times attempts and end-to-end lag. Tags
 * are the kind and the outcome only: no URLs or ids, so the number of series stays small.
 */
@Singleton
public class DeliveryMetrics implements OutcomeObserver {

    private final MeterRegistry registry;
    // Built once per kind and outcome: recording is on the worker's hot path.
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Timer> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> lags = new ConcurrentHashMap<>();

    @Inject
    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void recorded(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            String kind = outcome.delivery().subscriberKind();
            String result = outcomeOf(outcome);
            deliveries.computeIfAbsent(kind + "/" + result, key -> Counter.builder("tidings.deliveries")
                    .description("Delivery attempts by what followed them")
                    .tag("kind", kind).tag("outcome", result).register(registry)).increment();
            attempts.computeIfAbsent(kind, key -> Timer.builder("tidings.delivery.attempt")
                    .description("How long one attempt took")
                    .tag("kind", kind).publishPercentileHistogram().register(registry))
                    .record(outcome.result().duration());
            if (outcome.decision().status() == DeliveryStatus.DELIVERED) {
                lags.computeIfAbsent(kind, key -> Timer.builder("tidings.delivery.lag")
                        .description("From the commit that recorded the event to delivery")
                        .tag("kind", kind).publishPercentileHistogram().register(registry))
                        .record(Duration.between(outcome.delivery().createdAt(), outcome.decision().nextAttemptAt()));
            }
        }
    }

    private static String outcomeOf(Outcome outcome) {
        return switch (outcome.decision().status()) {
            case DELIVERED -> "delivered";
            case DEAD -> "dead";
            default -> "retried";
        };
    }
}
