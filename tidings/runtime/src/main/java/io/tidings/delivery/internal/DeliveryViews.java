package io.tidings.delivery.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tidings.outbox.internal.WorkerWakeUp;

/**
 * What the API and the console read of deliveries, and what their callers may do to them: a
 * tenant's delivery with its attempts, a subscriber's deliveries page by page, a retry by hand, a
 * recovery of the dead ones. The worker's side is {@link DeliveryQueue}.
 */
@ApplicationScoped
public class DeliveryViews {

    // A delivery put back in the queue by hand gets the whole retry schedule again.
    private static final String RETRY_NOW = """
            UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_expires_at = NULL, attempts = 0
             WHERE id = ? AND status IN ('dead', 'delivered')
            """;

    private static final String RECOVER = """
            UPDATE deliveries SET status = 'pending', next_attempt_at = ?, lease_expires_at = NULL, attempts = 0
             WHERE id IN (SELECT id FROM deliveries WHERE subscriber_id = ? AND status = 'dead' AND created_at >= ?
                           ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    private static final String VIEW = """
            SELECT d.id, d.event_id, e.type, d.subscriber_id, d.status, d.attempts, d.next_attempt_at, d.last_error,
                   d.created_at, d.delivered_at, d.payload::text AS payload, last.status_code, last.duration_ms
              FROM deliveries d JOIN events e ON e.id = d.event_id JOIN subscribers s ON s.id = d.subscriber_id
              LEFT JOIN LATERAL (SELECT a.status_code, a.duration_ms FROM delivery_attempts a
                                  WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1) last ON true
            """;

    private final DataSource dataSource;

    @Inject
    public DeliveryViews(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Puts a dead or delivered delivery back in the queue, due now. @return false when it is neither */
    public boolean retryNow(UUID id, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement retry = connection.prepareStatement(RETRY_NOW)) {
            retry.setObject(1, timestamp(now));
            retry.setObject(2, id);
            boolean changed = retry.executeUpdate() == 1;
            if (changed) {
                WorkerWakeUp.notifyNow(connection);
            }
            return changed;
        }
    }

    /** The delivery with its attempts, if it exists and its subscriber belongs to the tenant. */
    public Optional<DeliveryView> find(UUID id, UUID tenantId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(VIEW + " WHERE d.id = ? AND s.tenant_id = ?");
                PreparedStatement attempts = connection.prepareStatement("SELECT attempted_at, duration_ms, status_code, "
                        + "response_excerpt, error FROM delivery_attempts WHERE delivery_id = ? ORDER BY id")) {
            query.setObject(1, id);
            query.setObject(2, tenantId);
            List<DeliveryView> found = views(query);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            attempts.setObject(1, id);
            List<DeliveryView.Attempt> tries = new ArrayList<>();
            try (ResultSet rows = attempts.executeQuery()) {
                while (rows.next()) {
                    tries.add(new DeliveryView.Attempt(rows.getObject("attempted_at", OffsetDateTime.class).toInstant(),
                            rows.getInt("duration_ms"), rows.getObject("status_code", Integer.class),
                            rows.getString("response_excerpt"), rows.getString("error")));
                }
            }
            return Optional.of(found.get(0).withAttempts(tries));
        }
    }

    /** A subscriber's deliveries, newest first, after the cursor, optionally of one status. */
    public List<DeliveryView> list(UUID subscriberId, DeliveryStatus status, UUID after, int limit) throws SQLException {
        String sql = VIEW + " WHERE d.subscriber_id = ?" + (status == null ? "" : " AND d.status = ?")
                + (after == null ? "" : " AND d.id < ?") + " ORDER BY d.id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            query.setObject(i++, subscriberId);
            if (status != null) {
                query.setString(i++, status.column());
            }
            if (after != null) {
                query.setObject(i++, after);
            }
            query.setInt(i, limit);
            return views(query);
        }
    }

    /** Puts a subscriber's oldest {@code max} dead deliveries created since {@code since} back in the queue. @return how many */
    public int recoverDead(UUID subscriberId, Instant since, int max, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement recover = connection.prepareStatement(RECOVER)) {
            recover.setObject(1, timestamp(now));
            recover.setObject(2, subscriberId);
            recover.setObject(3, timestamp(since));
            recover.setInt(4, max);
            int recovered = recover.executeUpdate();
            if (recovered > 0) {
                WorkerWakeUp.notifyNow(connection);
            }
            return recovered;
        }
    }

    private static List<DeliveryView> views(PreparedStatement query) throws SQLException {
        List<DeliveryView> views = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                views.add(new DeliveryView(rows.getObject("id", UUID.class), rows.getObject("event_id", UUID.class),
                        rows.getString("type"), rows.getObject("subscriber_id", UUID.class), rows.getString("status"),
                        rows.getInt("attempts"), instant(rows, "next_attempt_at"), rows.getString("last_error"),
                        instant(rows, "created_at"), instant(rows, "delivered_at"), rows.getObject("status_code", Integer.class),
                        rows.getObject("duration_ms", Integer.class), rows.getString("payload"), null));
            }
        }
        return views;
    }

    /** @return null for none, and for 'infinity': a delivery parked behind an earlier one of its ordered key */
    private static Instant instant(ResultSet rows, String column) throws SQLException {
        if ("infinity".equals(rows.getString(column))) {
            return null;
        }
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
