package io.tidings.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tidings.delivery.internal.OutboxStats;

class LagHistoryTest {

    private final LagHistory history = new LagHistory(null, Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC));

    @Test
    void an_hour_of_samples_is_kept_and_the_highest_lag_fills_the_chart() {
        for (int minute = 0; minute < 90; minute++) {
            history.add(snapshot(minute == 80 ? 30 : 3));
        }
        LagHistory.Chart chart = history.chart();
        assertThat(chart.samples()).isEqualTo(LagHistory.MINUTES);
        assertThat(chart.highestLagSeconds()).isEqualTo(30);
        String[] points = chart.points().split(" ");
        assertThat(points).hasSize(LagHistory.MINUTES);
        assertThat(points[0]).isEqualTo("0,108.0");      // 3 s of 30, from the bottom of 120
        assertThat(points[50]).isEqualTo("508,0.0");     // minute 80 of 90, the highest, at the top
        assertThat(points[59]).startsWith("600,");
    }

    @Test
    void no_lag_draws_a_flat_line_at_the_bottom_and_no_sample_draws_nothing() {
        assertThat(history.chart().points()).isEmpty();
        history.add(snapshot(0));
        assertThat(history.chart().points()).isEqualTo("0,120.0");
    }

    private static OutboxStats.Snapshot snapshot(double lagSeconds) {
        return new OutboxStats.Snapshot(Map.of("webhook", 10L), Map.of("webhook", lagSeconds), 0);
    }
}
