package io.tidings.delivery.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.tidings.delivery.ClaimedDelivery;

/**
 * The leases this instance holds: every delivery from its claim until its outcome is written. They
 * are kept alive (extended every third of {@code tidings.worker.lease}, on the database's clock) for
 * as long as the instance holds them, so that a slow receiver, a long lane or outcomes waiting for
 * the database never let another instance send the same message. A send starts only while its
 * lease covers the whole attempt, as far as this instance can know without asking the database.
 * After this instance lost the database, it waits half a lease from its first cycle that succeeds
 * again before taking back others' expired leases: instances that lost it together get that long
 * to renew theirs first.
 */
final class Leases implements OutcomeObserver {

    private static final Logger LOG = Logger.getLogger(Leases.class);

    private final Duration lease;
    private final long leaseNanos;
    private final long attemptNanos;
    private final Map<ClaimedDelivery, Long> validUntil = new ConcurrentHashMap<>();
    private volatile long lastExtension = System.nanoTime();
    private volatile long takeOverFrom = System.nanoTime();
    private volatile boolean lost;

    /** @param attempt the longest one attempt can take: its lookup, connect and request time */
    Leases(Duration lease, Duration attempt) {
        this.lease = lease;
        this.leaseNanos = lease.toNanos();
        this.attemptNanos = attempt.toNanos();
    }

    /** Deliveries a claim that started at {@code claimStarted} (System.nanoTime) leased. */
    void claimed(List<ClaimedDelivery> deliveries, long claimStarted) {
        deliveries.forEach(delivery -> validUntil.put(delivery, claimStarted + leaseNanos));
    }

    /** Whether the delivery's lease lasts through a whole attempt started now. */
    boolean mayStart(ClaimedDelivery delivery) {
        Long until = validUntil.get(delivery);
        return until != null && until - System.nanoTime() >= attemptNanos;
    }

    /** This instance no longer holds the delivery (handed back, or given up). */
    void released(ClaimedDelivery delivery) {
        validUntil.remove(delivery);
    }

    @Override
    public void recorded(List<Outcome> outcomes) {
        outcomes.forEach(outcome -> validUntil.remove(outcome.delivery()));
    }

    /** Renews every held lease when a third of the lease has passed since the last renewal. */
    void extendIfDue(DeliveryQueue repository) throws SQLException {
        long started = System.nanoTime();
        if (started - lastExtension < leaseNanos / 3) {
            return;
        }
        List<ClaimedDelivery> held = List.copyOf(validUntil.keySet());
        int extended = repository.extendLeases(held, lease);
        held.forEach(delivery -> validUntil.computeIfPresent(delivery, (d, until) -> started + leaseNanos));
        lastExtension = started;
        if (extended < held.size()) {
            LOG.debugf("%d of %d held deliveries were no longer in flight: finished meanwhile, or taken over",
                    held.size() - extended, held.size());
        }
    }

    /** Called when a cycle fails: the database may be gone for every instance alike. */
    void databaseLost() {
        lost = true;
    }

    /** Called when a cycle succeeds: half a lease from the first one after a loss, others' leases may be taken. */
    void cycleSucceeded() {
        if (lost) {
            lost = false;
            takeOverFrom = System.nanoTime() + leaseNanos / 2;
        }
    }

    /** Whether this instance may take back other instances' expired leases now. */
    boolean mayTakeOver() {
        return !lost && System.nanoTime() - takeOverFrom >= 0;
    }
}
