package io.tidings.stream.internal;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tidings.delivery.DeliverySender;
import io.tidings.delivery.internal.KindLease;
import io.tidings.delivery.internal.OutboxListener;
import io.tidings.delivery.internal.WorkerConfig;
import io.tidings.stream.StreamSender;
import io.tidings.stream.internal.StreamSubscribers.StreamSubscriber;

/**
 * Runs a reader for every enabled stream whose lease this instance can take, each on a thread of
 * its own; wakes them when the outbox channel says something was committed. When the channel says
 * streams changed, and every {@code tidings.streams.poll-interval}, it looks for streams nobody
 * reads (a new one, or one whose reader died with its instance) and stops readers whose stream was
 * disabled, deleted or changed.
 * Streams run wherever the delivery worker runs ({@code tidings.worker.enabled}).
 */
@Singleton
public class StreamReaders {

    private static final Logger LOG = Logger.getLogger(StreamReaders.class);

    private final StreamSubscribers subscribers;
    private final StreamCursors cursors;
    private final StreamLog log;
    private final DataSource dataSource;
    private final StreamConfig config;
    private final WorkerConfig worker;
    private final OutboxListener listener;
    private final Clock clock;
    private final Map<String, StreamSender> senders;
    private final Map<String, Duration> leaseByKind;
    private final Map<UUID, StreamReader> running = new ConcurrentHashMap<>();
    private final Set<String> kindsWithoutSender = ConcurrentHashMap.newKeySet();
    private final String owner = ownerName();
    private final ExecutorService threads = Executors.newCachedThreadPool(daemons("tidings-stream-reader"));
    // Polls asked for by a notification run here, one at a time, off the listener's thread.
    private final ExecutorService polls = Executors.newSingleThreadExecutor(daemons("tidings-stream-poll"));
    private volatile boolean started;

    @Inject
    StreamReaders(StreamSubscribers subscribers, StreamCursors cursors, StreamLog log, DataSource dataSource,
            StreamConfig config, WorkerConfig worker, OutboxListener listener, Clock clock, Instance<DeliverySender> senders) {
        this.subscribers = subscribers;
        this.cursors = cursors;
        this.log = log;
        this.dataSource = dataSource;
        this.config = config;
        this.worker = worker;
        this.listener = listener;
        this.clock = clock;
        this.senders = senders.stream().filter(StreamSender.class::isInstance).map(StreamSender.class::cast)
                .collect(Collectors.toUnmodifiableMap(StreamSender::kind, Function.identity()));
        this.leaseByKind = this.senders.values().stream().collect(Collectors.toUnmodifiableMap(StreamSender::kind,
                sender -> KindLease.of(config.lease(), sender, "tidings.streams.lease")));
    }

    void start(@Observes StartupEvent event) {
        if (!worker.enabled()) {
            return;
        }
        started = true;
        listener.alsoWake(this::wake);
        listener.on(StreamCursors.CHANGED, () -> {
            wake(); // a reader whose stream was reset finds out at its next move
            pollSoon();
        });
        LOG.infof("Stream readers started for kinds %s, as %s", senders.keySet(), owner);
        poll();
    }

    @Scheduled(every = "${tidings.streams.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (started) {
            poll();
        }
    }

    /** Stops the readers of streams that changed, and starts one for each stream nobody reads. */
    synchronized void poll() {
        try {
            List<StreamSubscriber> enabled = subscribers.enabled();
            Map<UUID, StreamSubscriber> byId = enabled.stream().collect(Collectors.toMap(StreamSubscriber::id, Function.identity()));
            running.forEach((id, reader) -> {
                StreamSubscriber now = byId.get(id);
                if (now == null || !now.settings().equals(reader.subscriber().settings())) {
                    reader.stop();
                }
            });
            for (StreamSubscriber subscriber : enabled) {
                if (started && !running.containsKey(subscriber.id())) {
                    startIfFree(subscriber);
                }
            }
            cursors.markBehind(config.maxLag());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Could not look for streams to read (trying again at the next poll): %s", e.getMessage());
        }
    }

    private void startIfFree(StreamSubscriber subscriber) throws SQLException {
        StreamSender sender = senders.get(subscriber.kind());
        if (sender == null) {
            if (kindsWithoutSender.add(subscriber.kind())) {
                LOG.warnf("Streams of kind %s wait: no sender of that kind is installed in this instance", subscriber.kind());
            }
            return;
        }
        Duration lease = leaseByKind.get(subscriber.kind());
        cursors.acquire(subscriber.id(), owner, lease).ifPresent(held -> {
            AtomicReference<StreamReader> self = new AtomicReference<>();
            StreamReader reader = new StreamReader(subscriber, sender, held, log, cursors, dataSource, config, lease, clock,
                    () -> ended(subscriber.id(), self.get()));
            self.set(reader);
            running.put(subscriber.id(), reader);
            threads.execute(reader);
        });
    }

    // A reader that stopped because its stream changed, or was reset, starts again at once.
    private void ended(UUID id, StreamReader reader) {
        running.remove(id, reader);
        if (started) {
            pollSoon();
        }
    }

    private void pollSoon() {
        try {
            polls.execute(this::poll);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Something was committed: every reader looks now. */
    public void wake() {
        running.values().forEach(StreamReader::wake);
    }

    /** The streams this instance reads now. */
    public Set<UUID> reading() {
        return new HashSet<>(running.keySet());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        started = false;
        polls.shutdownNow();
        running.values().forEach(StreamReader::stop);
        threads.shutdown();
        if (!threads.awaitTermination(config.lease().toMillis() / 2, TimeUnit.MILLISECONDS)) {
            LOG.warnf("Stream readers still running at shutdown: %s; their leases run out by themselves", running.keySet());
        }
    }

    private static ThreadFactory daemons(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
