package io.tidings.ops.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.tidings.delivery.internal.DeliveryRetention;
import io.tidings.outbox.internal.EventRetention;
import io.tidings.outbox.internal.IdempotencyKeys;
import io.tidings.outbox.internal.OutboxConfig;

/**
 * Deletes what is finished and old: delivered deliveries after {@code tidings.retention.delivered},
 * dead ones after {@code tidings.retention.dead} (attempts go with them), then events with no
 * delivery left and that every stream has read (a stream marked behind holds nothing back), and
 * the pending deliveries of subscribers disabled for longer than {@code dead}, and idempotency keys
 * whose {@code tidings.outbox.idempotency-window} has passed.
 * It runs the deletes the tables' owners give ({@link DeliveryRetention}, {@link EventRetention})
 * in batches of {@code batch-size} rows, each its own transaction, and skips rows other
 * transactions hold, so the outbox is never locked for long. Pending and in-flight deliveries of
 * enabled subscribers, and their events, are never touched.
 */
@Singleton
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final DataSource dataSource;
    private final RetentionConfig config;
    private final OutboxConfig outbox;
    private final Clock clock;

    @Inject
    public RetentionPurge(DataSource dataSource, RetentionConfig config, OutboxConfig outbox, Clock clock) {
        this.dataSource = dataSource;
        this.config = config;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What one purge removed, and how long it took. */
    public record Result(long delivered, long dead, long parked, long events, long idempotencyKeys, Duration took) {
    }

    @Scheduled(every = "${tidings.retention.interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            Result result = purge();
            if (result.delivered() + result.dead() + result.parked() + result.events() > 0) {
                LOG.infof("Retention removed %d delivered, %d dead and %d parked deliveries and %d events in %d ms",
                        result.delivered(), result.dead(), result.parked(), result.events(), result.took().toMillis());
            }
        } catch (SQLException e) {
            LOG.warnf("The retention purge failed and runs again in %s: %s", config.interval(), e.getMessage());
        }
    }

    public Result purge() throws SQLException {
        long started = System.nanoTime();
        Instant now = clock.instant();
        long delivered = deleteInBatches(DeliveryRetention.DELIVERED, now.minus(config.delivered()));
        long dead = deleteInBatches(DeliveryRetention.DEAD, now.minus(config.dead()));
        long parked = deleteInBatches(DeliveryRetention.PARKED, now.minus(config.dead()));
        long events = deleteInBatches(EventRetention.UNREFERENCED, now.minus(config.delivered()));
        long keys = deleteInBatches(IdempotencyKeys.EXPIRED, now.minus(outbox.idempotencyWindow()));
        return new Result(delivered, dead, parked, events, keys, Duration.ofNanos(System.nanoTime() - started));
    }

    private long deleteInBatches(String sql, Instant before) throws SQLException {
        long total = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            delete.setInt(2, config.batchSize());
            int deleted;
            int batches = 0;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
                if (++batches % 20 == 0) {
                    LOG.infof("Retention: %d rows deleted so far", total);
                }
            } while (deleted == config.batchSize());
        }
        return total;
    }
}
