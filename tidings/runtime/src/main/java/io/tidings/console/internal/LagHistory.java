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
    // The plot's box inside the SVG's 600 x 150 view: room on the left for the scale, below for the times.
    private static final int LEFT = 56;
    private static final int RIGHT = 590;
    private static final int TOP = 10;
    private static final int BOTTOM = 120;

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final OutboxStats stats;
    private final Clock clock;

    record Sample(Instant at, double lagSeconds, long pending) {
    }

    /**
     * The chart as SVG coordinates, drawn by the page: no script. @param points "x,y x,y …", placed by
     * the sample's age @param latest the newest point, marked so that a single sample shows; null for none
     */
    record Chart(String points, Point latest, double highestLagSeconds, int samples, Instant since, List<Tick> lagTicks,
            List<Tick> timeTicks) {
    }

    /** A sample's place on the plot. */
    record Point(int x, String y) {

        @Override
        public String toString() {
            return x + "," + y;
        }
    }

    /** A label of an axis, at {@code at} along it (x for times, y for lags). */
    record Tick(int at, String label) {
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
        double scale = roundUp(Math.max(highest, 1));
        Instant now = clock.instant();
        List<Point> points = shown.stream()
                .map(sample -> new Point(x(java.time.Duration.between(sample.at(), now).getSeconds()),
                        String.format(Locale.ROOT, "%.1f", BOTTOM - sample.lagSeconds() / scale * (BOTTOM - TOP))))
                .toList();
        List<Tick> lags = List.of(new Tick(BOTTOM, "0"), new Tick((BOTTOM + TOP) / 2, duration(scale / 2)),
                new Tick(TOP, duration(scale)));
        List<Tick> times = List.of(new Tick(x(MINUTES * 60L), "1 h ago"), new Tick(x(MINUTES * 30L), "30 min ago"),
                new Tick(RIGHT, "now"));
        return new Chart(points.stream().map(Point::toString).collect(Collectors.joining(" ")),
                points.isEmpty() ? null : points.get(points.size() - 1), highest, shown.size(),
                shown.isEmpty() ? null : shown.get(0).at(), lags, times);
    }

    private static int x(long secondsAgo) {
        double age = Math.min(1, secondsAgo / (MINUTES * 60.0));
        return (int) Math.round(RIGHT - age * (RIGHT - LEFT));
    }

    /** The smallest of 1, 2 and 5 times a power of ten that is at least {@code value}. */
    static double roundUp(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String duration(double seconds) {
        if (seconds >= 3600) {
            return trim(seconds / 3600) + " h";
        }
        return seconds >= 60 ? trim(seconds / 60) + " min" : trim(seconds) + " s";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
