package io.tidings.webhook.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.Outcome;
import io.tidings.delivery.internal.OutcomeObserver;
import io.tidings.outbox.Outbox;

/**
 * Disables a webhook whose deliveries all failed for {@code tidings.webhooks.disable-after}, or
 * that had {@code disable-after-dead-deliveries} dead deliveries in a row, and records a
 * {@code webhook:disabled} event for its tenant. Any successful delivery starts the count afresh.
 */
@Singleton
public class AutoDisable implements OutcomeObserver {

    private static final Logger LOG = Logger.getLogger(AutoDisable.class);

    private static final String TRACK = """
            UPDATE subscribers s
               SET consecutive_dead = CASE WHEN u.succeeded THEN 0 ELSE s.consecutive_dead END + u.dead,
                   failing_since = CASE WHEN u.failed_at IS NULL AND u.succeeded THEN NULL
                                        WHEN u.failed_at IS NULL THEN s.failing_since
                                        WHEN u.succeeded THEN u.failed_at
                                        ELSE coalesce(s.failing_since, u.failed_at) END,
                   last_success_at = greatest(s.last_success_at, u.succeeded_at)
              FROM unnest(?::uuid[], ?::boolean[], ?::int[], ?::timestamptz[], ?::timestamptz[])
                   AS u(id, succeeded, dead, failed_at, succeeded_at)
             WHERE s.id = u.id AND s.kind = 'webhook'
               -- a healthy webhook that stays healthy is rewritten about once a minute, not on every batch
               AND NOT (u.succeeded AND u.dead = 0 AND u.failed_at IS NULL
                        AND s.consecutive_dead = 0 AND s.failing_since IS NULL
                        AND s.last_success_at IS NOT NULL AND s.last_success_at > u.succeeded_at - interval '1 minute')
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

    private final DataSource dataSource;
    private final WebhookConfig config;
    private final Outbox outbox;
    private final Clock clock;

    @Inject
    public AutoDisable(DataSource dataSource, WebhookConfig config, Outbox outbox, Clock clock) {
        this.dataSource = dataSource;
        this.config = config;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void recorded(List<Outcome> outcomes) throws SQLException {
        Map<UUID, Health> health = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            if (outcome.delivery().subscriberKind().equals(WebhookSender.KIND)) {
                health.computeIfAbsent(outcome.delivery().subscriberId(), id -> new Health()).add(outcome);
            }
        }
        if (health.isEmpty()) {
            return;
        }
        track(health);
        // Only a webhook whose batch ended in failure can newly cross a disabling threshold.
        Map<UUID, Instant> failing = new LinkedHashMap<>();
        health.forEach((id, webhook) -> {
            if (webhook.failing()) {
                failing.put(id, webhook.lastFailure);
            }
        });
        if (!failing.isEmpty()) {
            disable(failing).forEach(this::announce);
        }
    }

    private void track(Map<UUID, Health> health) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement track = connection.prepareStatement(TRACK)) {
            track.setArray(1, connection.createArrayOf("uuid", health.keySet().toArray()));
            track.setArray(2, connection.createArrayOf("bool", health.values().stream().map(h -> h.lastSuccess != null).toArray()));
            track.setArray(3, connection.createArrayOf("int4", health.values().stream().map(h -> h.dead).toArray()));
            track.setArray(4, connection.createArrayOf("text", health.values().stream()
                    .map(h -> h.firstFailure == null ? null : h.firstFailure.toString()).toArray()));
            track.setArray(5, connection.createArrayOf("text", health.values().stream()
                    .map(h -> h.lastSuccess == null ? null : h.lastSuccess.toString()).toArray()));
            track.executeUpdate();
        }
    }

    /** @param failing each failing webhook with the time of its last failure */
    private List<Disabled> disable(Map<UUID, Instant> failing) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement disable = connection.prepareStatement(DISABLE)) {
            OffsetDateTime timestamp = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            disable.setObject(1, timestamp);
            disable.setObject(2, timestamp);
            disable.setInt(3, config.disableAfterDeadDeliveries());
            disable.setArray(4, connection.createArrayOf("uuid", failing.keySet().toArray()));
            disable.setArray(5, connection.createArrayOf("text", failing.values().stream().map(Instant::toString).toArray()));
            disable.setInt(6, config.disableAfterDeadDeliveries());
            disable.setLong(7, config.disableAfter().toMillis());
            List<Disabled> disabled = new ArrayList<>();
            try (ResultSet rows = disable.executeQuery()) {
                while (rows.next()) {
                    disabled.add(new Disabled(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getString(3)));
                }
            }
            return disabled;
        }
    }

    private void announce(Disabled webhook) {
        LOG.warnf("Disabled webhook %s: %s", webhook.id(), webhook.reason());
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new WebhookEvent(WebhookEvent.DISABLED, webhook.tenantId(), webhook.id(), webhook.reason())));
    }

    /** One webhook's outcomes in a batch: whether the last success came after the failures, and what followed it. */
    private static final class Health {
        Instant lastSuccess; // null when none of the batch succeeded
        int dead;
        Instant firstFailure;
        Instant lastFailure;

        /** Failures followed the batch's last success, if it had one. */
        boolean failing() {
            return firstFailure != null;
        }

        void add(Outcome outcome) {
            if (outcome.result().successful()) {
                Instant at = outcome.result().startedAt();
                lastSuccess = lastSuccess == null || at.isAfter(lastSuccess) ? at : lastSuccess;
                dead = 0;
                firstFailure = null;
                return;
            }
            if (firstFailure == null) {
                firstFailure = outcome.result().startedAt();
            }
            lastFailure = outcome.result().startedAt();
            if (outcome.decision().status() == DeliveryStatus.DEAD) {
                dead++;
            }
        }
    }

    private record Disabled(UUID id, UUID tenantId, String reason) {
    }
}
