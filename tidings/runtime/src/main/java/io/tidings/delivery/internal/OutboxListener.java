package io.tidings.delivery.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tidings.outbox.internal.WorkerWakeUp;

/**
 * Holds a connection that LISTENs on the outbox channel and wakes the worker as soon as a
 * transaction that registered events commits. When the connection breaks it reconnects, with
 * growing pauses; meanwhile the poll keeps deliveries moving, only later.
 */
@Singleton
public class OutboxListener {

    private static final Logger LOG = Logger.getLogger(OutboxListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final DeliveryWorker worker;
    private final WorkerConfig config;
    private volatile boolean listening;
    private volatile boolean connected;
    private volatile int backendPid;
    private final AtomicLong connections = new AtomicLong();
    private final List<Runnable> alsoWoken = new CopyOnWriteArrayList<>();
    private final Map<String, List<Runnable>> onNotice = new ConcurrentHashMap<>();
    private Thread thread;

    @Inject
    public OutboxListener(DataSource dataSource, DeliveryWorker worker, WorkerConfig config) {
        this.dataSource = dataSource;
        this.worker = worker;
        this.config = config;
    }

    public void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        listening = true;
        thread = new Thread(this::run, "tidings-outbox-listener");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop(@Observes ShutdownEvent event) throws InterruptedException {
        listening = false;
        if (thread != null) {
            thread.join(RECEIVE_TIMEOUT_MILLIS * 4L);
        }
    }

    /** Runs {@code wake} whenever the worker is woken by a notification: for readers of the events other than the worker. */
    public void alsoWake(Runnable wake) {
        alsoWoken.add(wake);
    }

    /**
     * Runs {@code handler} when a notification with this payload arrives on the outbox channel, in
     * place of a wake-up: for news other than commits, such as a changed stream.
     */
    public void on(String payload, Runnable handler) {
        onNotice.computeIfAbsent(payload, key -> new CopyOnWriteArrayList<>()).add(handler);
    }

    private void wake() {
        worker.wake();
        alsoWoken.forEach(Runnable::run);
    }

    /** Whether the LISTEN connection is up. */
    public boolean isConnected() {
        return connected;
    }

    /** The server process of the latest LISTEN connection, as {@code pg_stat_activity.pid} shows it. */
    public int backendPid() {
        return backendPid;
    }

    /** How many times the LISTEN connection was opened: 1 plus the reconnects. */
    public long connections() {
        return connections.get();
    }

    private void run() {
        Duration pause = FIRST_PAUSE;
        while (listening) {
            try {
                listen();
                pause = FIRST_PAUSE;
            } catch (SQLException | RuntimeException e) {
                if (listening) {
                    LOG.warnf("The LISTEN connection failed (%s); reconnecting in %d ms, polling meanwhile",
                            e.getMessage(), pause.toMillis());
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                }
            }
        }
    }

    private void listen() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                receive(connection);
            } finally {
                connected = false;
                stopListening(connection);
            }
        }
    }

    private void receive(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + WorkerWakeUp.CHANNEL);
        }
        PGConnection notifications = connection.unwrap(PGConnection.class);
        backendPid = notifications.getBackendPID();
        connected = true;
        connections.incrementAndGet();
        wake(); // anything committed while we were not listening
        while (listening) {
            PGNotification[] received = notifications.getNotifications(RECEIVE_TIMEOUT_MILLIS);
            if (received != null && received.length > 0) {
                handle(received);
            }
        }
    }

    private void handle(PGNotification[] received) {
        boolean committed = false;
        for (PGNotification notification : received) {
            List<Runnable> handlers = onNotice.get(notification.getParameter());
            if (handlers == null) {
                committed = true;
            } else {
                handlers.forEach(Runnable::run);
            }
        }
        if (committed) {
            wake();
        }
    }

    /**
     * The connection goes back to the pool, whose next user must not inherit the subscription: the
     * driver would hoard every notification for it. On a broken connection this fails too, which is
     * no news: the loop is about to reconnect.
     */
    private static void stopListening(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.debugf("UNLISTEN failed (%s)", e.getMessage());
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
