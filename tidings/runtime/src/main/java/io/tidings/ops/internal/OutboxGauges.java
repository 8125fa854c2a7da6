package io.tidings.ops.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.tidings.delivery.internal.DeliveryWorker;
import io.tidings.delivery.internal.OutboxStats;

/**
 * The outbox backlog as gauges, refreshed by one query every {@code tidings.metrics.refresh}
 * (not on every scrape, so that many scrapers cost the database nothing more).
 */
@Singleton
public class OutboxGauges {

    private static final Logger LOG = Logger.getLogger(OutboxGauges.class);

    private final MeterRegistry registry;
    private final OutboxStats stats;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final AtomicLong oldestDueMillis = new AtomicLong();
    private final AtomicLong disabledWebhooks = new AtomicLong();

    @Inject
    public OutboxGauges(MeterRegistry registry, OutboxStats stats, DeliveryWorker worker) {
        this.registry = registry;
        this.stats = stats;
        Gauge.builder("tidings.worker.outcomes.unwritten", worker, DeliveryWorker::unwrittenOutcomes)
                .description("Outcomes of finished sends waiting to be written; their deliveries stay leased meanwhile")
                .register(registry);
        FunctionCounter.builder("tidings.worker.outcomes.refused", worker, DeliveryWorker::refusedOutcomes)
                .description("Outcomes the database refused as they came (a receiver's bytes it cannot store, say), "
                        + "stored without the response instead")
                .register(registry);
        Gauge.builder("tidings.outbox.oldest.due", oldestDueMillis, value -> value.get() / 1000.0)
                .description("How long the oldest due delivery has waited").baseUnit("seconds").register(registry);
        Gauge.builder("tidings.webhooks.disabled", disabledWebhooks, AtomicLong::get)
                .description("Webhooks disabled, by their owner or for failing").register(registry);
        pendingOf("webhook");
        pendingOf("analytics");
    }

    @Scheduled(every = "${tidings.metrics.refresh:15s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            OutboxStats.Snapshot snapshot = stats.read();
            pending.forEach((kind, value) -> value.set(snapshot.pending().getOrDefault(kind, 0L)));
            snapshot.pending().forEach((kind, count) -> pendingOf(kind).set(count));
            oldestDueMillis.set((long) (snapshot.oldestDue() * 1000));
            disabledWebhooks.set(snapshot.disabledWebhooks());
        } catch (Exception e) {
            LOG.debugf("Could not refresh the outbox gauges: %s", e.getMessage());
        }
    }

    private AtomicLong pendingOf(String kind) {
        return pending.computeIfAbsent(kind, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("tidings.outbox.pending", value, AtomicLong::get).description("Pending deliveries")
                    .tag("kind", k).register(registry);
            return value;
        });
    }
}
