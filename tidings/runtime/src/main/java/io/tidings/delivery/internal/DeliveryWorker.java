package io.tidings.delivery.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;

/**
 * Drains the outbox. One thread runs the cycle: claim due deliveries up to the free capacity, hand
 * them to their senders, then sleep until woken (a notification, a finished send, the poll). Sends
 * run on the senders' own non-blocking I/O, outside any transaction; their outcomes are written by
 * the {@link OutcomeRecorder}'s thread meanwhile. The cycle catches everything: a failing database
 * or a poison row delays delivery, it never stops the worker.
 */
@Singleton
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int BATCHES_IN_FLIGHT = 2;
    // A safety net under the scheduled poll, never more frequent than it.
    private static final Duration LONGEST_IDLE_WAIT = Duration.ofMinutes(1);

    private final WorkerConfig config;
    private final DeliveryQueue repository;
    private final Map<String, DeliverySender> senders;
    // Kinds sent one at a time, claimed together where their leases are alike.
    private final Map<Duration, Set<String>> singleKindsByLease;
    private final List<DeliverySender> batchSenders;
    private final Map<String, AtomicInteger> batchesInFlight = new ConcurrentHashMap<>();
    private final Set<ClaimedDelivery> batchRows = ConcurrentHashMap.newKeySet();
    // Claimed, never sent: handed back by the worker's thread, since a lane gives up on an I/O thread.
    private final Queue<ClaimedDelivery> givenUp = new ConcurrentLinkedQueue<>();
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final SubscriberLanes lanes;
    private final OutcomeRecorder recorder;
    private final Leases leases;
    private final AttemptTracing tracing;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Duration idleWait;
    private volatile boolean claiming;
    private volatile boolean leaseCheckDue = true;
    private volatile Instant lastCycleCompletedAt;
    private int failedCycles;
    private Thread thread;

    @Inject
    public DeliveryWorker(WorkerConfig config, DeliveryConfig deliveryConfig, DeliveryQueue repository,
            Instance<DeliverySender> senders, Instance<OutcomeObserver> observers, Clock clock, AttemptTracing tracing) {
        this.config = config;
        this.tracing = tracing;
        this.repository = repository;
        this.senders = senders.stream().collect(Collectors.toUnmodifiableMap(DeliverySender::kind, Function.identity()));
        requireSane(config);
        this.leases = new Leases(this.senders.values(), config.lease());
        this.singleKindsByLease = this.senders.values().stream().filter(sender -> sender.batchSize() <= 1)
                .map(DeliverySender::kind).collect(Collectors.groupingBy(leases::lease, Collectors.toUnmodifiableSet()));
        this.batchSenders = this.senders.values().stream().filter(sender -> sender.batchSize() > 1).toList();
        List<OutcomeObserver> told = new ArrayList<>(List.of(leases));
        observers.forEach(told::add);
        this.recorder = new OutcomeRecorder(repository, told);
        this.retryPolicy = RetryPolicy.from(deliveryConfig);
        this.clock = clock;
        this.lanes = new SubscriberLanes(config.maxInFlightPerSubscriber());
        this.idleWait = config.pollInterval().compareTo(LONGEST_IDLE_WAIT) > 0 ? config.pollInterval() : LONGEST_IDLE_WAIT;
    }

    private static void requireSane(WorkerConfig config) {
        if (config.pollInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("tidings.worker.poll-interval is " + config.pollInterval()
                    + " but the Quarkus scheduler cannot poll more often than every 1s; set it to 1s or more "
                    + "(notifications wake the worker at once anyway)");
        }
        if (config.batchSize() < 1 || config.maxInFlight() < 1 || config.maxInFlightPerSubscriber() < 1) {
            throw new IllegalArgumentException("tidings.worker.batch-size, max-in-flight and max-in-flight-per-subscriber must be at least 1");
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("The delivery worker is disabled (tidings.worker.enabled=false)");
            return;
        }
        claiming = true;
        recorder.start();
        thread = new Thread(this::run, "tidings-delivery-worker");
        thread.start();
        LOG.infof("The delivery worker started for subscriber kinds %s", senders.keySet());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        claiming = false;
        wake();
        thread.join(config.shutdownGrace().plusSeconds(5).toMillis());
    }

    /** Asks the worker to look for due deliveries now. Cheap; wake-ups that come together are merged. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** The fallback poll: also the moment to take back deliveries whose lease ran out. */
    void poll() {
        leaseCheckDue = true;
        wake();
    }

    public boolean isRunning() {
        return claiming;
    }

    /** Outcomes of finished sends that wait to be written. */
    public int unwrittenOutcomes() {
        return recorder.unwritten();
    }

    /** Outcomes the database refused as they came since start, stored without the response instead. */
    public long refusedOutcomes() {
        return recorder.refused();
    }

    /** When the worker last completed a cycle, or null before the first. */
    public Instant lastCycleCompletedAt() {
        return lastCycleCompletedAt;
    }

    private void run() {
        while (claiming) {
            try {
                cycle();
                leases.cycleSucceeded();
                lastCycleCompletedAt = clock.instant();
                if (failedCycles > 0) {
                    LOG.infof("Delivery cycles succeed again after %d failed", failedCycles);
                    failedCycles = 0;
                }
            } catch (Exception | LinkageError e) {
                leases.databaseLost();
                logFailedCycle(e);
            }
            // Within the window, so that the pace a claim may run ahead by never caps what accrued since the last.
            awaitWakeUp(repository.pacing(now()) ? DeliveryQueue.THROTTLE_WINDOW.dividedBy(2) : idleWait);
        }
        finishForShutdown();
    }

    // The first failure of a streak with its stack trace; during an outage, one line each after that.
    private void logFailedCycle(Throwable e) {
        if (failedCycles++ == 0) {
            LOG.errorf(e, "A delivery cycle failed; the worker tries again when next woken");
        } else {
            LOG.warnf("Delivery cycle %d in a row failed: %s", failedCycles, e.getMessage());
        }
    }

    private void cycle() throws SQLException {
        handBackGivenUp();
        leases.extendIfDue(repository);
        if (leaseCheckDue) {
            // not held back after an outage as taking leases over is: it moves no one else's delivery
            repository.promoteStranded(now());
            if (leases.mayTakeOver()) {
                leaseCheckDue = false;
                int released = repository.releaseExpiredLeases(now());
                if (released > 0) {
                    LOG.warnf("%d deliveries whose lease ran out (an instance stopped mid-send?) are due again", released);
                }
            }
        }
        claimSingles();
        claimBatches();
    }

    // Guarded by the claim's attempt: a delivery another instance took meanwhile stays as that one has it.
    private void handBackGivenUp() throws SQLException {
        List<ClaimedDelivery> unsent = new ArrayList<>();
        for (ClaimedDelivery delivery = givenUp.poll(); delivery != null; delivery = givenUp.poll()) {
            unsent.add(delivery);
        }
        try {
            repository.release(unsent, Collections.nCopies(unsent.size(), false), now());
        } catch (SQLException | RuntimeException e) {
            givenUp.addAll(unsent); // the next cycle tries again
            throw e;
        }
    }

    private void claimSingles() throws SQLException {
        for (Map.Entry<Duration, Set<String>> kinds : singleKindsByLease.entrySet()) {
            claimSingles(kinds.getValue(), kinds.getKey());
        }
    }

    private void claimSingles(Set<String> kinds, Duration lease) throws SQLException {
        while (claiming) {
            int room = Math.min(config.batchSize(), config.maxInFlight() - lanes.held());
            if (room <= 0) {
                return;
            }
            long started = System.nanoTime();
            List<ClaimedDelivery> claimed = repository.claim(now(), kinds, lanes.full(), room,
                    config.maxInFlightPerSubscriber(), lease);
            leases.claimed(claimed, started);
            claimed.forEach(this::dispatch);
            if (claimed.size() < room) {
                return;
            }
        }
    }

    // Up to BATCHES_IN_FLIGHT batches per kind, so that claiming the next overlaps sending the last.
    private void claimBatches() throws SQLException {
        for (DeliverySender sender : batchSenders) {
            AtomicInteger inFlight = batchesInFlight.computeIfAbsent(sender.kind(), kind -> new AtomicInteger());
            while (claiming && inFlight.get() < BATCHES_IN_FLIGHT) {
                long started = System.nanoTime();
                List<ClaimedDelivery> batch = repository.claim(now(), Set.of(sender.kind()), Set.of(), sender.batchSize(),
                        sender.batchSize(), sender.deliveriesPerKey() - 1, leases.lease(sender.kind()));
                if (batch.isEmpty()) {
                    break;
                }
                leases.claimed(batch, started);
                inFlight.incrementAndGet();
                batchRows.addAll(batch);
                sendBatch(sender, batch);
            }
        }
    }

    private void sendBatch(DeliverySender sender, List<ClaimedDelivery> batch) {
        Instant startedAt = clock.instant();
        started(() -> sender.sendBatch(batch)).whenComplete((results, error) -> {
            String failure = results != null && results.size() == batch.size() ? null
                    : error != null ? describe(error)
                    : sender.kind() + " sender answered " + (results == null ? 0 : results.size()) + " results for "
                            + batch.size() + " deliveries";
            for (int i = 0; i < batch.size(); i++) {
                ClaimedDelivery delivery = batch.get(i);
                recorder.add(outcome(delivery, failure == null ? results.get(i) : failedSince(startedAt, failure)));
                batchRows.remove(delivery);
            }
            batchesInFlight.get(sender.kind()).decrementAndGet();
            wake();
        });
    }

    private void dispatch(ClaimedDelivery delivery) {
        if (lanes.admit(delivery)) {
            send(delivery);
        }
    }

    private void send(ClaimedDelivery delivery) {
        if (!leases.mayStart(delivery)) {
            giveUp(delivery);
            return;
        }
        Instant startedAt = clock.instant();
        AttemptTracing.Attempt attempt = tracing.start(delivery); // what the sender gets; the worker keeps the claimed row
        started(() -> senders.get(delivery.subscriberKind()).send(attempt.delivery())).whenComplete((result, error) -> {
            AttemptResult outcome = result != null ? result : failedSince(startedAt, describe(error));
            attempt.end(outcome);
            finish(delivery, outcome);
        });
    }

    // Its lease may run out before the attempt could end (the database was away while it waited in
    // its lane): another instance may take it then, so this one must not start it. The next cycle
    // hands it back with its attempt, which it never made (else a delivery given up often enough
    // would go dead having been sent less than its schedule allows); failing that, the lease runs
    // out and whichever instance claims it next sends it.
    private void giveUp(ClaimedDelivery delivery) {
        LOG.warnf("Delivery %s was not sent: its lease could run out before the attempt ends", delivery.id());
        leases.released(delivery);
        givenUp.add(delivery);
        wake();
        ClaimedDelivery next = lanes.finished(delivery);
        if (next != null) {
            send(next);
        }
    }

    private void finish(ClaimedDelivery delivery, AttemptResult result) {
        recorder.add(outcome(delivery, result));
        boolean wasAtCapacity = lanes.held() >= config.maxInFlight();
        ClaimedDelivery next = lanes.finished(delivery);
        if (next != null) {
            send(next);
        }
        // A claim now could take more only for this lane, if it has room again, or for any, if the
        // instance had none: otherwise it would leave this subscriber out and find nothing new.
        if (wasAtCapacity || !lanes.isFull(delivery.subscriberId())) {
            wake();
        }
    }

    // A sender that throws instead of returning a stage fails that attempt, not the worker's cycle.
    private static <T> CompletionStage<T> started(Supplier<CompletionStage<T>> sending) {
        try {
            return sending.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private AttemptResult failedSince(Instant startedAt, String error) {
        return AttemptResult.failed(startedAt, Duration.between(startedAt, clock.instant()), error);
    }

    private Outcome outcome(ClaimedDelivery delivery, AttemptResult result) {
        return new Outcome(delivery, result,
                retryPolicy.forTarget(delivery.target()).decide(delivery.attempt(), result, now(), ThreadLocalRandom.current()));
    }

    private void finishForShutdown() {
        try {
            List<ClaimedDelivery> unsent = new ArrayList<>(lanes.takeWaiting());
            unsent.addAll(givenUp);
            givenUp.clear();
            repository.release(unsent, Collections.nCopies(unsent.size(), false), now());
            long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
            while ((lanes.held() > 0 || !batchRows.isEmpty()) && System.nanoTime() < deadline) {
                awaitWakeUp(Duration.ofMillis(50));
            }
            recorder.stop(config.shutdownGrace());
            recorder.flush(); // what finished while the recorder stopped
            List<ClaimedDelivery> sending = new ArrayList<>(lanes.takeSending());
            sending.addAll(batchRows);
            batchRows.clear();
            repository.release(sending, Collections.nCopies(sending.size(), true), now());
            LOG.infof("The delivery worker stopped; %d unsent and %d unfinished deliveries were handed back",
                    unsent.size(), sending.size());
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "The delivery worker could not hand its deliveries back; their leases will run out instead");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitWakeUp(Duration timeout) {
        try {
            if (wakeUp.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claiming = false;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
