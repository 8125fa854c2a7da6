package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * Wakes the delivery workers of every instance once transactions that wrote deliveries have
 * committed, with a NOTIFY sent after the commit rather than inside it. PostgreSQL serialises the
 * commits of all transactions that notify (a database-wide lock held through the commit's WAL
 * flush), which cost a third of the recording rate at four threads. Here one thread sends them, at
 * most one every 2 ms: under load many commits share one, and alone a commit costs one more
 * statement on another thread and at most 2 ms of latency.
 *
 * <p>
 * Losing a wake-up (a crash between commit and NOTIFY, or the database refusing it) delays
 * deliveries until the next poll; it never loses them.
 */
@ApplicationScoped
public class WorkerWakeUp {

    /** The PostgreSQL channel notified after commit when new deliveries are waiting. */
    public static final String CHANNEL = "tidings_outbox";

    private static final Logger LOG = Logger.getLogger(WorkerWakeUp.class);
    // The notification needs no durability of its own: not waiting for its WAL flush keeps it cheap.
    private static final String NOTIFY = "SELECT set_config('synchronous_commit', 'off', true), pg_notify('"
            + CHANNEL + "', '')";

    // Commits within this long of a NOTIFY share the next one: a bound on the added load and latency.
    private static final long SPACING_NANOS = 2_000_000L;

    private final DataSource dataSource;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tidings-wake-up");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public WorkerWakeUp(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Asks for a NOTIFY to be sent soon; returns at once. Calls made while one waits to be sent share it. */
    public void request() {
        if (requested.compareAndSet(false, true)) {
            try {
                sender.execute(this::send);
            } catch (RejectedExecutionException shuttingDown) {
                requested.set(false);
            }
        }
    }

    private void send() {
        long started = System.nanoTime();
        requested.set(false); // a commit after this point asks for another NOTIFY
        try (Connection connection = dataSource.getConnection()) {
            notifyNow(connection);
        } catch (SQLException e) {
            LOG.debugf("Could not wake the workers (the poll will find the deliveries): %s", e.getMessage());
        }
        LockSupport.parkNanos(SPACING_NANOS - (System.nanoTime() - started));
    }

    /**
     * Sends the NOTIFY at once on the connection, for a caller that must know it went out (such as
     * an instance handing deliveries back as it stops). In autocommit mode, it goes out at once;
     * inside a transaction, when that commits.
     */
    public static void notifyNow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(NOTIFY);
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
    }
}
