package io.tidings.delivery.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Writes the outcomes of finished sends on a thread of its own, so that claiming the next
 * deliveries never waits for writing the last ones: when one thread did both, PostgreSQL worked on
 * one of the two at a time and the drain was bound by their sum. Outcomes that arrive together go
 * in one transaction; after the first arrives, the recorder lingers a moment so that a batch can
 * fill instead of each outcome paying a commit of its own. Until an outcome is written its
 * delivery stays leased, so a delay here never sends anything twice.
 */
final class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    private static final int BATCH = 1000;
    private static final Duration LINGER = Duration.ofMillis(10);
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    private final DeliveryQueue repository;
    private final List<OutcomeObserver> observers;
    private final Queue<Outcome> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unwritten = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final Semaphore arrived = new Semaphore(0);
    private volatile boolean running;
    private int failedWrites;
    private Thread thread;

    OutcomeRecorder(DeliveryQueue repository, List<OutcomeObserver> observers) {
        this.repository = repository;
        this.observers = observers;
    }

    void start() {
        running = true;
        thread = new Thread(this::run, "tidings-outcome-recorder");
        thread.start();
    }

    /** Stops the thread once it has written what is queued, waiting at most {@code timeout}. */
    void stop(Duration timeout) throws InterruptedException {
        running = false;
        arrived.release();
        if (thread != null) {
            thread.join(timeout.toMillis());
        }
    }

    /** Queues an outcome to be written. Any thread; never blocks. */
    void add(Outcome outcome) {
        unwritten.incrementAndGet();
        queued.add(outcome);
        if (arrived.availablePermits() == 0) {
            arrived.release();
        }
    }

    /** Outcomes finished and not yet written: they grow while the database cannot be written. */
    int unwritten() {
        return unwritten.get();
    }

    /** Outcomes the database refused as they came, so far, and that were stored without the response. */
    long refused() {
        return refused.get();
    }

    /** Writes every queued outcome on the calling thread. On failure they stay queued. */
    void flush() throws SQLException {
        List<Outcome> batch = new ArrayList<>();
        for (Outcome outcome = queued.poll(); outcome != null; outcome = queued.poll()) {
            batch.add(outcome);
            if (batch.size() == BATCH) {
                write(batch);
                batch = new ArrayList<>();
            }
        }
        write(batch);
    }

    private void run() {
        while (running) {
            if (await(IDLE_WAIT)) {
                pause(LINGER);
            }
            flushLogged();
        }
        flushLogged();
    }

    private void flushLogged() {
        try {
            flush();
            if (failedWrites > 0) {
                LOG.infof("Writing delivery outcomes succeeds again after %d failures", failedWrites);
                failedWrites = 0;
            }
        } catch (Exception | LinkageError e) {
            if (failedWrites++ == 0) {
                LOG.errorf(e, "Writing delivery outcomes failed; their deliveries stay leased and the writes are retried");
            } else {
                LOG.warnf("Writing delivery outcomes failed %d times in a row: %s", failedWrites, e.getMessage());
            }
            if (running) {
                pause(PAUSE_AFTER_FAILURE);
            }
        }
    }

    private void write(List<Outcome> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            repository.record(batch);
        } catch (SQLException | RuntimeException e) {
            if (isTransient(e)) {
                queued.addAll(batch);
                throw e;
            }
            LOG.warnf("A batch of %d delivery outcomes was refused (%s); writing them one by one", batch.size(), reason(e));
            writeOneByOne(batch);
            return;
        }
        written(batch);
    }

    // One outcome the database refuses must not hold back the others, nor be retried forever. When
    // even its bare form is refused, the fault is the database's, not the outcome's: all of them wait.
    private void writeOneByOne(List<Outcome> batch) throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = batch.get(i);
            try {
                writeAlone(outcome);
            } catch (SQLException | RuntimeException e) {
                queued.addAll(batch.subList(i, batch.size()));
                throw e;
            }
        }
    }

    private void writeAlone(Outcome outcome) throws SQLException {
        try {
            repository.record(List.of(outcome));
            written(List.of(outcome));
        } catch (SQLException | RuntimeException e) {
            if (isTransient(e)) {
                throw e;
            }
            // The decision stands; only what the receiver sent, and the error text, are left out.
            String reason = "the attempt's outcome could not be stored as it came (" + reason(e) + ")";
            Outcome bare = outcome.withoutResponse(reason);
            repository.record(List.of(bare));
            written(List.of(bare));
            refused.incrementAndGet();
            LOG.errorf("Delivery %s: %s; it was stored without the response", outcome.delivery().id(), reason);
        }
    }

    private void written(List<Outcome> batch) {
        unwritten.addAndGet(-batch.size());
        batch.forEach(DeliveryLog::recorded);
        for (OutcomeObserver observer : observers) {
            try {
                observer.recorded(batch);
            } catch (Exception e) {
                LOG.errorf(e, "%s failed on %d recorded outcomes", observer.getClass().getSimpleName(), batch.size());
            }
        }
    }

    // The database is away or busy (connection, resources, shutdown, conflicts): the same write will
    // do later. Anything else is about the data, and writing it again would fail again.
    private static boolean isTransient(Exception e) {
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                || state.startsWith("57") || state.startsWith("58");
    }

    private static String reason(Exception e) {
        return e instanceof SQLException sql && sql.getSQLState() != null ? "SQL state " + sql.getSQLState()
                : e.getClass().getSimpleName();
    }

    /** @return whether something arrived before the timeout */
    private boolean await(Duration timeout) {
        try {
            boolean woken = arrived.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            arrived.drainPermits();
            return woken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
