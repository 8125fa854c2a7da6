package io.tidings.delivery.internal;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.tidings.delivery.DeliverySender;

/**
 * How long a kind's deliveries, or a stream of that kind, are leased: the configured lease, or 1.5
 * times the kind's {@linkplain DeliverySender#longestAttempt longest attempt} where that is longer,
 * so that a lease renewed every third of it always has an attempt's worth left.
 */
public final class KindLease {

    private static final Logger LOG = Logger.getLogger(KindLease.class);

    private KindLease() {
    }

    /** @param setting the configuration key of {@code configured}, named when the kind needs longer */
    public static Duration of(Duration configured, DeliverySender sender, String setting) {
        Duration needed = sender.longestAttempt().multipliedBy(3).dividedBy(2);
        if (needed.compareTo(configured) <= 0) {
            return configured;
        }
        LOG.infof("The %s kind is leased for %s, longer than %s (%s): one of its attempts can take %s",
                sender.kind(), needed, setting, configured, sender.longestAttempt());
        return needed;
    }
}
