package io.tidings.webhook.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tidings.delivery.internal.DeliveryStatus;
import io.tidings.delivery.internal.Outcome;
import io.tidings.delivery.internal.OutcomeObserver;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.SubscriberHealth;

/**
 * Disables a webhook whose deliveries all failed for {@code tidings.webhooks.disable-after}, or
 * that had {@code disable-after-dead-deliveries} dead deliveries in a row, and records a
 * {@code webhook:disabled} event for its tenant. Any successful delivery starts the count afresh.
 */
@Singleton
public class AutoDisable implements OutcomeObserver {

    private static final Logger LOG = Logger.getLogger(AutoDisable.class);

    private final SubscriberHealth webhooks;
    private final WebhookConfig config;
    private final Outbox outbox;
    private final Clock clock;

    @Inject
    public AutoDisable(SubscriberHealth webhooks, WebhookConfig config, Outbox outbox, Clock clock) {
        this.webhooks = webhooks;
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
        List<SubscriberHealth.Tracked> tracked = new ArrayList<>();
        health.forEach((id, webhook) -> tracked.add(
                new SubscriberHealth.Tracked(id, webhook.lastSuccess != null, webhook.dead, webhook.firstFailure, webhook.lastSuccess)));
        webhooks.track(tracked);
    }

    /** @param failing each failing webhook with the time of its last failure */
    private List<SubscriberHealth.Disabled> disable(Map<UUID, Instant> failing) throws SQLException {
        return webhooks.disableFailing(failing, config.disableAfterDeadDeliveries(), config.disableAfter(), clock.instant());
    }

    private void announce(SubscriberHealth.Disabled webhook) {
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
}
