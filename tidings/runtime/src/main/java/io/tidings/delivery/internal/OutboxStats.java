package io.tidings.delivery.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.outbox.internal.SubscriberHealth;

/**
 * How far behind the outbox is: pending deliveries of enabled subscribers per kind, and how long the
 * oldest due one has waited, leaving out the subscribers whose own rate limit holds them back (or any
 * tenant could make the outbox look late by limiting a busy webhook).
 */
@Singleton
public class OutboxStats {

    private static final String PENDING = """
            SELECT s.kind, count(*), coalesce(extract(epoch FROM ?::timestamptz - min(d.next_attempt_at)
                                                           FILTER (WHERE d.next_attempt_at <= ?::timestamptz
                                                                     AND s.max_per_second IS NULL)), 0)
              FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
             -- a disabled subscriber's rows are parked, not late; a rate-limited one's wait their turn by its owner's choice
             WHERE d.status = 'pending' AND s.enabled
             GROUP BY s.kind
            """;

    private static final String DEAD_SINCE = """
            SELECT s.kind, count(*)
              FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
             WHERE d.status = 'dead' AND d.next_attempt_at >= ? -- a dead delivery's next_attempt_at is when it died
             GROUP BY s.kind
            """;

    private final DataSource dataSource;
    private final SubscriberHealth webhooks;
    private final Clock clock;

    @Inject
    public OutboxStats(DataSource dataSource, SubscriberHealth webhooks, Clock clock) {
        this.dataSource = dataSource;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** @param oldestDueSeconds per kind, how long the oldest due delivery has waited; 0 when none is due */
    public record Snapshot(Map<String, Long> pending, Map<String, Double> oldestDueSeconds, long disabledWebhooks) {

        public long totalPending() {
            return pending.values().stream().mapToLong(Long::longValue).sum();
        }

        public double oldestDue() {
            return oldestDueSeconds.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    public Snapshot read() throws SQLException {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Long> pending = new TreeMap<>();
        Map<String, Double> oldest = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(PENDING)) {
            query.setObject(1, now);
            query.setObject(2, now);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    pending.put(rows.getString(1), rows.getLong(2));
                    oldest.put(rows.getString(1), rows.getDouble(3));
                }
            }
        }
        return new Snapshot(pending, oldest, webhooks.disabledWebhooks());
    }

    /** Per kind, how many deliveries went dead in the last hour. */
    public Map<String, Long> deadInTheLastHour() throws SQLException {
        Map<String, Long> dead = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(DEAD_SINCE)) {
            query.setObject(1, OffsetDateTime.ofInstant(clock.instant().minusSeconds(3600), ZoneOffset.UTC));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    dead.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return dead;
    }
}
