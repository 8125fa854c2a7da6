package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The SQL on a webhook's health columns of {@code subscribers} ({@code consecutive_dead},
 * {@code failing_since}, {@code last_success_at}) and on disabling a failing webhook. What counts
 * as failing is the webhook package's to decide; this class only keeps the columns.
 */
@Singleton
public class SubscriberHealth {

    // Returns what changed for each webhook it rewrote: whether it was failing before and is now.
    private static final String TRACK = """
            UPDATE subscribers s
               SET consecutive_dead = CASE WHEN u.succeeded THEN 0 ELSE s.consecutive_dead END + u.dead,
                   failing_since = CASE WHEN u.failed_at IS NULL AND u.succeeded THEN NULL
                                        WHEN u.failed_at IS NULL THEN s.failing_since
                                        WHEN u.succeeded THEN u.failed_at
                                        ELSE coalesce(s.failing_since, u.failed_at) END,
                   failing_noticed_at = CASE WHEN u.failed_at IS NULL AND u.succeeded THEN NULL ELSE s.failing_noticed_at END,
                   last_success_at = greatest(s.last_success_at, u.succeeded_at)
              FROM unnest(?::uuid[], ?::boolean[], ?::int[], ?::timestamptz[], ?::timestamptz[])
                   AS u(id, succeeded, dead, failed_at, succeeded_at),
                   LATERAL (SELECT o.failing_since IS NOT NULL AS failing FROM subscribers o WHERE o.id = u.id) was
             WHERE s.id = u.id AND s.kind = 'webhook'
               -- a healthy webhook that stays healthy is rewritten about once a minute, not on every batch
               AND NOT (u.succeeded AND u.dead = 0 AND u.failed_at IS NULL
                        AND s.consecutive_dead = 0 AND s.failing_since IS NULL
                        AND s.last_success_at IS NOT NULL AND s.last_success_at > u.succeeded_at - interval '1 minute')
            RETURNING s.id, s.tenant_id, was.failing, s.failing_since IS NOT NULL
            """;

    // Only one instance wins a notice: the one whose update finds it due.
    private static final String NOTICE_FAILING = """
            UPDATE subscribers SET failing_noticed_at = ?
             WHERE id = ANY (?) AND failing_since IS NOT NULL AND enabled
               AND (failing_noticed_at IS NULL OR failing_noticed_at <= ? - ? * interval '1 ms')
            RETURNING id, tenant_id
            """;

    // Judged at the time of each webhook's last failure, not when the outcome came to be written.
    private static final String DISABLE = """
            UPDATE subscribers s
               SET enabled = false, updated_at = ?, disabled_at = ?,
                   disabled_reason = CASE WHEN consecutive_dead >= ? THEN consecutive_dead || ' deliveries in a row were dead'
                                          ELSE 'every delivery has failed since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END
              FROM unnest(?::uuid[], ?::timestamptz[]) AS u(id, failed_at)
             WHERE s.id = u.id AND s.kind = 'webhook' AND s.enabled
               AND (s.consecutive_dead >= ? OR s.failing_since < u.failed_at - ? * interval '1 ms')
            RETURNING s.id, s.tenant_id, s.disabled_reason
            """;

    /** One webhook's outcomes in a batch: whether it ended in success, dead deliveries since, first failure since. */
    public record Tracked(UUID id, boolean succeeded, int dead, Instant failedAt, Instant succeededAt) {
    }

    /** A webhook something just happened to, with why (null where nothing more is to say). */
    public record Noticed(UUID id, UUID tenantId, String reason) {
    }

    /** What one batch changed for a webhook: whether it was failing before it, and whether it is after. */
    public record Change(UUID id, UUID tenantId, boolean wasFailing, boolean failing) {
    }

    private final DataSource dataSource;

    @Inject
    public SubscriberHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return what changed, for each webhook the batch rewrote */
    public List<Change> track(List<Tracked> webhooks) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement track = connection.prepareStatement(TRACK)) {
            track.setArray(1, connection.createArrayOf("uuid", webhooks.stream().map(Tracked::id).toArray()));
            track.setArray(2, connection.createArrayOf("bool", webhooks.stream().map(Tracked::succeeded).toArray()));
            track.setArray(3, connection.createArrayOf("int4", webhooks.stream().map(Tracked::dead).toArray()));
            track.setArray(4, connection.createArrayOf("text", webhooks.stream().map(w -> text(w.failedAt())).toArray()));
            track.setArray(5, connection.createArrayOf("text", webhooks.stream().map(w -> text(w.succeededAt())).toArray()));
            List<Change> changes = new ArrayList<>();
            try (ResultSet rows = track.executeQuery()) {
                while (rows.next()) {
                    changes.add(new Change(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getBoolean(3),
                            rows.getBoolean(4)));
                }
            }
            return changes;
        }
    }

    /**
     * Marks the failing webhooks among {@code ids} whose last notice is older than {@code every} as
     * noticed now. @return those, each with its tenant: the notices this instance is to record
     */
    public List<Noticed> noticeFailing(List<UUID> ids, Duration every, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement notice = connection.prepareStatement(NOTICE_FAILING)) {
            OffsetDateTime timestamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            notice.setObject(1, timestamp);
            notice.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            notice.setObject(3, timestamp);
            notice.setLong(4, every.toMillis());
            List<Noticed> noticed = new ArrayList<>();
            try (ResultSet rows = notice.executeQuery()) {
                while (rows.next()) {
                    noticed.add(new Noticed(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), null));
                }
            }
            return noticed;
        }
    }

    /**
     * Disables the enabled webhooks among {@code failing} that had {@code deadInARow} dead deliveries
     * in a row, or failed for longer than {@code failingFor} by the time of their last failure.
     *
     * @param failing each failing webhook with the time of its last failure
     */
    public List<Noticed> disableFailing(Map<UUID, Instant> failing, int deadInARow, Duration failingFor, Instant now)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement disable = connection.prepareStatement(DISABLE)) {
            OffsetDateTime timestamp = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            disable.setObject(1, timestamp);
            disable.setObject(2, timestamp);
            disable.setInt(3, deadInARow);
            disable.setArray(4, connection.createArrayOf("uuid", failing.keySet().toArray()));
            disable.setArray(5, connection.createArrayOf("text", failing.values().stream().map(Instant::toString).toArray()));
            disable.setInt(6, deadInARow);
            disable.setLong(7, failingFor.toMillis());
            List<Noticed> disabled = new ArrayList<>();
            try (ResultSet rows = disable.executeQuery()) {
                while (rows.next()) {
                    disabled.add(new Noticed(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getString(3)));
                }
            }
            return disabled;
        }
    }

    /** How many webhooks are disabled, by their tenant or for failing. */
    public long disabledWebhooks() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM subscribers WHERE kind = 'webhook' AND NOT enabled");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
