package io.tidings.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tidings.delivery.internal.OutboxStats;
import io.tidings.support.OffsetClock;

class LagHistoryTest {

    private final OffsetClock clock = new OffsetClock(Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC));
    private final LagHistory history = new LagHistory(null, clock);

    @Test
    void an_hour_of_samples_is_kept_placed_by_age_on_a_round_scale_above_the_highest() {
        for (int minute = 0; minute < 90; minute++) {
            history.add(snapshot(minute == 80 ? 30 : 3));
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofMinutes(-1)); // read as the last sample is taken
        LagHistory.Chart chart = history.chart();
        assertThat(chart.samples()).isEqualTo(LagHistory.MINUTES);
        assertThat(chart.highestLagSeconds()).isEqualTo(30);
        String[] points = chart.points().split(" ");
        assertThat(points).hasSize(LagHistory.MINUTES);
        assertThat(points[0]).isEqualTo("65,113.4");   // 59 min ago; 3 s on a scale of 50 s, from the bottom at 120
        assertThat(points[50]).isEqualTo("510,54.0");  // minute 80: 9 min ago, 30 s of 50
        assertThat(points[59]).isEqualTo("590,113.4"); // now
        assertThat(chart.latest()).as("the newest point, marked").hasToString("590,113.4");
        assertThat(chart.lagTicks()).extracting(LagHistory.Tick::label).containsExactly("0", "25 s", "50 s");
        assertThat(chart.timeTicks()).extracting(LagHistory.Tick::label).containsExactly("1 h ago", "30 min ago", "now");
    }

    @Test
    void no_lag_draws_a_flat_line_at_the_bottom_and_no_sample_draws_nothing() {
        assertThat(history.chart().points()).isEmpty();
        assertThat(history.chart().latest()).isNull();
        history.add(snapshot(0));
        assertThat(history.chart().points()).isEqualTo("590,120.0");
        assertThat(history.chart().lagTicks()).extracting(LagHistory.Tick::label).containsExactly("0", "0.5 s", "1 s");
    }

    @Test
    void the_scale_is_one_two_or_five_times_a_power_of_ten_and_reads_in_its_unit() {
        assertThat(LagHistory.roundUp(1)).isEqualTo(1);
        assertThat(LagHistory.roundUp(7)).isEqualTo(10);
        assertThat(LagHistory.roundUp(120)).isEqualTo(200);
        assertThat(LagHistory.roundUp(4000)).isEqualTo(5000);
        assertThat(LagHistory.duration(5000)).isEqualTo("1.4 h");
        assertThat(LagHistory.duration(600)).isEqualTo("10 min");
    }

    private static OutboxStats.Snapshot snapshot(double lagSeconds) {
        return new OutboxStats.Snapshot(Map.of("webhook", 10L), Map.of("webhook", lagSeconds), 0);
    }
}
