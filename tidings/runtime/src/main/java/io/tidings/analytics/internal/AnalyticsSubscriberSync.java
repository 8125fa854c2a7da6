package io.tidings.analytics.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.tidings.outbox.internal.Subscribers;

/**
 * Keeps the analytics subscriber row in step with the configuration at every start: enabled only
 * when analytics is enabled and has an endpoint. Deliveries already written stay as they are.
 */
@Singleton
public class AnalyticsSubscriberSync {

    private static final Logger LOG = Logger.getLogger(AnalyticsSubscriberSync.class);

    @Inject
    EntityManager entityManager;
    @Inject
    Subscribers subscribers;
    @Inject
    AnalyticsConfig config;
    @Inject
    Clock clock;

    @Transactional
    public void onStart(@Observes StartupEvent start) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // It takes the telemetry payload of every tenant's events, of every type its routes allow.
        subscribers.addAllTenantsTelemetry(AnalyticsSubscriber.ID, AnalyticsSender.KIND);
        AnalyticsSubscriber subscriber = entityManager.find(AnalyticsSubscriber.class, AnalyticsSubscriber.ID,
                LockModeType.PESSIMISTIC_WRITE);
        subscriber.configure(config.active(), config.endpoint().map(Object::toString).orElse(null), now);
        // Scheme and host only: an endpoint URL may carry a key in its path or query.
        LOG.infof("Telemetry export is %s", config.active()
                ? "on, to " + config.endpoint().map(uri -> uri.getScheme() + "://" + uri.getHost()).orElseThrow()
                : "off");
    }
}
