package io.tidings.webhook.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
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
import io.tidings.webhook.WebhookDisabled;
import io.tidings.webhook.WebhookExhausted;
import io.tidings.webhook.WebhookFailing;
import io.tidings.webhook.WebhookNotice;
import io.tidings.webhook.WebhookRecovered;

/**
 * Keeps each webhook's health from its delivery outcomes, disables a webhook whose deliveries all
 * failed for {@code tidings.webhooks.disable-after} or that had {@code disable-after-dead-deliveries}
 * dead deliveries in a row (any successful delivery starts the count afresh), and tells of it: it
 * records {@code webhook:failing} (when a webhook starts failing, then at most hourly while it
 * does), {@code webhook:exhausted} (a delivery went dead), {@code webhook:disabled} and
 * {@code webhook:recovered}, in that order for one batch, each for the webhook's tenant and ordered
 * by webhook, then fires each as a CDI event ({@link WebhookNotice}).
 */
@Singleton
public class AutoDisable implements OutcomeObserver {

    private static final Logger LOG = Logger.getLogger(AutoDisable.class);

    private static final Duration FAILING_NOTICE_EVERY = Duration.ofHours(1);

    private final SubscriberHealth webhooks;
    private final WebhookConfig config;
    private final Outbox outbox;
    private final Clock clock;
    private final jakarta.enterprise.event.Event<WebhookNotice> observers;

    @Inject
    public AutoDisable(SubscriberHealth webhooks, WebhookConfig config, Outbox outbox, Clock clock,
            jakarta.enterprise.event.Event<WebhookNotice> observers) {
        this.webhooks = webhooks;
        this.config = config;
        this.outbox = outbox;
        this.clock = clock;
        this.observers = observers;
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
        List<SubscriberHealth.Change> changes = track(health);
        List<WebhookNotice> notices = new ArrayList<>();
        changes.stream().filter(change -> change.wasFailing() && !change.failing())
                .forEach(change -> notices.add(new WebhookRecovered(change.id(), change.tenantId(), null)));
        List<UUID> failingNow = changes.stream().filter(SubscriberHealth.Change::failing).map(SubscriberHealth.Change::id).toList();
        if (!failingNow.isEmpty()) {
            webhooks.noticeFailing(failingNow, FAILING_NOTICE_EVERY, clock.instant()).forEach(webhook -> notices.add(
                    new WebhookFailing(webhook.id(), webhook.tenantId(), failure(health.get(webhook.id())))));
        }
        health.forEach((id, webhook) -> webhook.exhausted.forEach(reason -> notices.add(new WebhookExhausted(id,
                webhook.tenantId, reason))));
        // Only a webhook whose batch ended in failure can newly cross a disabling threshold.
        Map<UUID, Instant> failing = new LinkedHashMap<>();
        health.forEach((id, webhook) -> {
            if (webhook.failing()) {
                failing.put(id, webhook.lastFailure);
            }
        });
        if (!failing.isEmpty()) {
            disable(failing).forEach(webhook -> notices.add(new WebhookDisabled(webhook.id(), webhook.tenantId(), webhook.reason())));
        }
        notices.forEach(this::announce);
    }

    // Every webhook noticed as failing is one of the batch's.
    private static String failure(Health webhook) {
        return webhook.lastError == null ? "its deliveries fail" : "its deliveries fail: " + webhook.lastError;
    }

    private List<SubscriberHealth.Change> track(Map<UUID, Health> health) throws SQLException {
        List<SubscriberHealth.Tracked> tracked = new ArrayList<>();
        health.forEach((id, webhook) -> tracked.add(
                new SubscriberHealth.Tracked(id, webhook.lastSuccess != null, webhook.dead, webhook.firstFailure, webhook.lastSuccess)));
        return webhooks.track(tracked);
    }

    /** @param failing each failing webhook with the time of its last failure */
    private List<SubscriberHealth.Noticed> disable(Map<UUID, Instant> failing) throws SQLException {
        return webhooks.disableFailing(failing, config.disableAfterDeadDeliveries(), config.disableAfter(), clock.instant());
    }

    // Recorded first, each in a transaction of its own; then told to the application's observers,
    // whose failure is logged and goes no further.
    private void announce(WebhookNotice notice) {
        if (notice instanceof WebhookDisabled) {
            LOG.warnf("Disabled webhook %s: %s", notice.webhookId(), notice.reason());
        }
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new WebhookEvent(type(notice), notice.tenantId(), notice.webhookId(), notice.reason())));
        try {
            observers.fire(notice);
            observers.fireAsync(notice);
        } catch (RuntimeException e) {
            LOG.warnf(e, "An observer of %s failed", notice.getClass().getSimpleName());
        }
    }

    private static String type(WebhookNotice notice) {
        if (notice instanceof WebhookFailing) {
            return WebhookEvent.FAILING;
        }
        if (notice instanceof WebhookExhausted) {
            return WebhookEvent.EXHAUSTED;
        }
        return notice instanceof WebhookDisabled ? WebhookEvent.DISABLED : WebhookEvent.RECOVERED;
    }

    /** One webhook's outcomes in a batch: whether the last success came after the failures, and what followed it. */
    private static final class Health {
        UUID tenantId; // a webhook's, as every event it is sent is its tenant's
        Instant lastSuccess; // null when none of the batch succeeded
        int dead;
        Instant firstFailure;
        Instant lastFailure;
        String lastError;
        final List<String> exhausted = new ArrayList<>();

        /** Failures followed the batch's last success, if it had one. */
        boolean failing() {
            return firstFailure != null;
        }

        void add(Outcome outcome) {
            tenantId = outcome.delivery().tenantId();
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
            lastError = outcome.decision().error();
            if (outcome.decision().status() == DeliveryStatus.DEAD) {
                dead++;
                // not for a webhook:* message itself, which would tell of its own death to the same webhook
                if (!outcome.delivery().eventType().startsWith("webhook:")) {
                    exhausted.add("delivery " + outcome.delivery().id() + " of " + outcome.delivery().eventType()
                            + " is dead after " + outcome.delivery().attempt() + " attempts: " + lastError);
                }
            }
        }
    }
}
