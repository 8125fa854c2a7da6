package io.tidings.console.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.scheduler.Scheduled;
import io.tidings.delivery.internal.OutboxStats;

/**
 * The outbox's lag (how long the oldest due delivery has waited) once a minute over the last hour,
 * as this instance saw it, for the operator's chart. Kept in memory: a restarted instance starts a
 * new hour.
 */
@Singleton
@IfBuildProperty(name = "tidings.console.enabled", stringValue = "true", enableIfMissing = true)
public class LagHistory {

    static final int MINUTES = 60;
    private static final Logger LOG = Logger.getLogger(LagHistory.class);
    private static final int WIDTH = 600;
    private static final int HEIGHT = 120;

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final OutboxStats stats;
    private final Clock clock;

    record Sample(Instant at, double lagSeconds, long pending) {
    }

    /** The chart as SVG coordinates, drawn by the page: no script. @param points "x,y x,y …" */
    record Chart(String points, double highestLagSeconds, int samples, Instant since) {
    }

    @Inject
    public LagHistory(OutboxStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    @Scheduled(every = "60s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        try {
            add(stats.read());
        } catch (Exception e) {
            LOG.debugf("No lag sample this minute: %s", e.getMessage());
        }
    }

    synchronized void add(OutboxStats.Snapshot snapshot) {
        samples.addLast(new Sample(clock.instant(), snapshot.oldestDue(), snapshot.totalPending()));
        while (samples.size() > MINUTES) {
            samples.removeFirst();
        }
    }

    synchronized Chart chart() {
        List<Sample> shown = List.copyOf(samples);
        double highest = shown.stream().mapToDouble(Sample::lagSeconds).max().orElse(0);
        double scale = Math.max(highest, 1);
        String points = java.util.stream.IntStream.range(0, shown.size())
                .mapToObj(i -> String.format(Locale.ROOT, "%d,%.1f", i * WIDTH / (MINUTES - 1),
                        HEIGHT - shown.get(i).lagSeconds() / scale * HEIGHT))
                .collect(Collectors.joining(" "));
        return new Chart(points, highest, shown.size(), shown.isEmpty() ? null : shown.get(0).at());
    }
}
