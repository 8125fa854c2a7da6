package io.tidings.ops.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.tidings.stream.internal.StreamCursors;

/**
 * The streams as gauges, refreshed every {@code tidings.metrics.refresh}: how far behind each is,
 * how many are behind or failing, what each has sent, and the age of the oldest open writing
 * transaction, which holds every stream's events of it back.
 */
@Singleton
public class StreamGauges {

    private static final Logger LOG = Logger.getLogger(StreamGauges.class);

    private final MeterRegistry registry;
    private final StreamCursors cursors;
    private final Clock clock;
    private final Map<UUID, AtomicLong> lagMillis = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLong> sent = new ConcurrentHashMap<>();
    private final AtomicLong behind = new AtomicLong();
    private final AtomicLong failing = new AtomicLong();
    private final AtomicLong oldestWriterMillis = new AtomicLong();

    @Inject
    public StreamGauges(MeterRegistry registry, StreamCursors cursors, Clock clock) {
        this.registry = registry;
        this.cursors = cursors;
        this.clock = clock;
        Gauge.builder("tidings.streams.behind", behind, AtomicLong::get)
                .description("Streams further behind than tidings.streams.max-lag, which retention no longer waits for").register(registry);
        Gauge.builder("tidings.streams.failing", failing, AtomicLong::get)
                .description("Streams whose sink failed their last batch and that wait to try again").register(registry);
        Gauge.builder("tidings.transactions.oldest.open", oldestWriterMillis, value -> value.get() / 1000.0)
                .description("How long the oldest open writing transaction has been open: streams send none of its events before it ends")
                .baseUnit("seconds").register(registry);
    }

    @Scheduled(every = "${tidings.metrics.refresh:15s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            List<StreamCursors.Status> statuses = cursors.statuses();
            behind.set(statuses.stream().filter(status -> status.behindSince() != null).count());
            failing.set(statuses.stream().filter(status -> status.failures() > 0).count());
            for (StreamCursors.Status status : statuses) {
                meters(status).set(status.lag(clock.instant()).toMillis());
                sent.get(status.subscriberId()).set(status.sent());
            }
            oldestWriterMillis.set((long) (cursors.oldestOpenWriter() * 1000));
        } catch (Exception e) {
            LOG.debugf("Could not refresh the stream gauges: %s", e.getMessage());
        }
    }

    private AtomicLong meters(StreamCursors.Status status) {
        sent.computeIfAbsent(status.subscriberId(), id -> {
            AtomicLong value = new AtomicLong();
            FunctionCounter.builder("tidings.streams.sent", value, AtomicLong::get).description("Records a stream's sink took")
                    .tag("stream", id.toString()).tag("kind", status.kind()).register(registry);
            return value;
        });
        return lagMillis.computeIfAbsent(status.subscriberId(), id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("tidings.streams.lag", value, v -> v.get() / 1000.0)
                    .description("How long ago the stream's cursor snapshot was taken: every event committed before it was sent")
                    .tag("stream", id.toString()).tag("kind", status.kind()).baseUnit("seconds").register(registry);
            return value;
        });
    }
}
