package io.tidings.delivery.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;

/**
 * The leases this instance holds: every delivery from its claim until its outcome is written. Each
 * kind's deliveries are leased for {@code tidings.worker.lease}, or for 1.5 times the kind's
 * {@linkplain DeliverySender#longestAttempt longest attempt} where that is longer. They are kept
 * alive (extended every third of the shortest lease, on the database's clock) for as long as the
 * instance holds them, so that a slow receiver, a long lane or outcomes waiting for the database
 * never let another instance send the same message. A send starts only while its lease covers the
 * whole attempt, as far as this instance can know without asking the database. After this instance
 * lost the database, it waits half the longest lease from its first cycle that succeeds again
 * before taking back others' expired leases: instances that lost it together get that long to
 * renew theirs first.
 */
final class Leases implements OutcomeObserver {

    private static final Logger LOG = Logger.getLogger(Leases.class);

    private final Map<String, Duration> leaseByKind;
    private final Map<String, Long> attemptNanosByKind;
    private final long shortestNanos;
    private final long longestNanos;
    private final Map<ClaimedDelivery, Long> validUntil = new ConcurrentHashMap<>();
    private volatile long lastExtension = System.nanoTime();
    private volatile long takeOverFrom = System.nanoTime();
    private volatile boolean lost;

    Leases(Collection<DeliverySender> senders, Duration configured) {
        this.leaseByKind = senders.stream().collect(Collectors.toUnmodifiableMap(DeliverySender::kind,
                sender -> KindLease.of(configured, sender, "tidings.worker.lease")));
        this.attemptNanosByKind = senders.stream().collect(Collectors.toUnmodifiableMap(DeliverySender::kind,
                sender -> sender.longestAttempt().toNanos()));
        this.shortestNanos = leaseByKind.values().stream().min(Duration::compareTo).orElse(configured).toNanos();
        this.longestNanos = leaseByKind.values().stream().max(Duration::compareTo).orElse(configured).toNanos();
    }

    /** How long a claim leases deliveries of this kind. */
    Duration lease(String kind) {
        return leaseByKind.get(kind);
    }

    /** Deliveries a claim that started at {@code claimStarted} (System.nanoTime) leased. */
    void claimed(List<ClaimedDelivery> deliveries, long claimStarted) {
        deliveries.forEach(delivery -> validUntil.put(delivery, claimStarted + lease(delivery.subscriberKind()).toNanos()));
    }

    /** Whether the delivery's lease lasts through a whole attempt started now. */
    boolean mayStart(ClaimedDelivery delivery) {
        Long until = validUntil.get(delivery);
        return until != null && until - System.nanoTime() >= attemptNanosByKind.get(delivery.subscriberKind());
    }

    /** This instance no longer holds the delivery (handed back, or given up). */
    void released(ClaimedDelivery delivery) {
        validUntil.remove(delivery);
    }

    @Override
    public void recorded(List<Outcome> outcomes) {
        outcomes.forEach(outcome -> validUntil.remove(outcome.delivery()));
    }

    /** Renews every held lease, each for its kind's lease, when a third of the shortest has passed since the last renewal. */
    void extendIfDue(DeliveryQueue repository) throws SQLException {
        long started = System.nanoTime();
        if (started - lastExtension < shortestNanos / 3) {
            return;
        }
        Map<Duration, List<ClaimedDelivery>> held = validUntil.keySet().stream()
                .collect(Collectors.groupingBy(delivery -> lease(delivery.subscriberKind())));
        for (Map.Entry<Duration, List<ClaimedDelivery>> group : held.entrySet()) {
            int extended = repository.extendLeases(group.getValue(), group.getKey());
            long until = started + group.getKey().toNanos();
            group.getValue().forEach(delivery -> validUntil.computeIfPresent(delivery, (d, before) -> until));
            if (extended < group.getValue().size()) {
                LOG.debugf("%d of %d held deliveries were no longer in flight: finished meanwhile, or taken over",
                        group.getValue().size() - extended, group.getValue().size());
            }
        }
        lastExtension = started;
    }

    /** Called when a cycle fails: the database may be gone for every instance alike. */
    void databaseLost() {
        lost = true;
    }

    /** Called when a cycle succeeds: half the longest lease from the first one after a loss, others' leases may be taken. */
    void cycleSucceeded() {
        if (lost) {
            lost = false;
            takeOverFrom = System.nanoTime() + longestNanos / 2;
        }
    }

    /** Whether this instance may take back other instances' expired leases now. */
    boolean mayTakeOver() {
        return !lost && System.nanoTime() - takeOverFrom >= 0;
    }
}
