package io.tidings.delivery.internal;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.tidings.delivery.ClaimedDelivery;

/**
 * One log line per finished attempt, carrying the event, delivery and subscriber ids in the MDC
 * (fields of their own in JSON logs). Never a URL, a payload or a secret: URLs can carry tokens.
 */
final class DeliveryLog {

    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);

    private DeliveryLog() {
    }

    static void recorded(Outcome outcome) {
        boolean dead = outcome.decision().status() == DeliveryStatus.DEAD;
        if (!dead && !LOG.isDebugEnabled()) {
            return;
        }
        ClaimedDelivery delivery = outcome.delivery();
        MDC.put("eventId", delivery.eventId().toString());
        MDC.put("deliveryId", delivery.id().toString());
        MDC.put("subscriberId", delivery.subscriberId().toString());
        try {
            if (dead) {
                LOG.warnf("Delivery %s of %s to %s subscriber %s is dead after %d attempts: %s", delivery.id(),
                        delivery.eventType(), delivery.subscriberKind(), delivery.subscriberId(), delivery.attempt(),
                        outcome.decision().error());
            } else {
                LOG.debugf("Delivery %s attempt %d: %s, %s", delivery.id(), delivery.attempt(),
                        outcome.result().describe(), outcome.decision().status().column());
            }
        } finally {
            MDC.remove("eventId");
            MDC.remove("deliveryId");
            MDC.remove("subscriberId");
        }
    }
}
