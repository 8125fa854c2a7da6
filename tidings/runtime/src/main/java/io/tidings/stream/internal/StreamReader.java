package io.tidings.stream.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.internal.DeadLetters.DeadLetter;
import io.tidings.stream.StreamSender;
import io.tidings.stream.internal.StreamCursors.Held;
import io.tidings.stream.internal.StreamSubscribers.StreamSubscriber;

/**
 * Reads one stream while this instance holds its lease: pages of the log go to the sink in order,
 * up to {@code tidings.streams.batches-in-flight} of them at once, and the cursor moves, under the
 * lease's fence, as each batch is answered in turn. No transaction is open while the sink works.
 * When a batch fails, the records from the first failed one on, and every batch sent after it, go
 * again after a wait: the consumer may see some twice, never one before an earlier one of its
 * stream for the last time.
 */
final class StreamReader implements Runnable {

    private static final Logger LOG = Logger.getLogger(StreamReader.class);

    private final StreamSubscriber subscriber;
    private final StreamSender sender;
    private final Held held;
    private final StreamLog log;
    private final StreamCursors cursors;
    private final DataSource dataSource;
    private final StreamConfig config;
    // The stream kind's: tidings.streams.lease, or longer where one of its attempts can take longer.
    private final Duration lease;
    private final Clock clock;
    private final Runnable ended;
    private final Semaphore news = new Semaphore(0);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final MessageDigest md5 = md5();
    private volatile boolean stopping;
    private StreamPosition durable;
    private StreamPosition reading;
    private boolean caughtUp;
    // After a failure the stream sends the record that failed alone, until the sink takes or refuses
    // it: in a batch, one record the sink can never take may fail the others with it (a broker
    // refusing a request too large for the topic fails every record of the request).
    private boolean probing;
    private boolean lost;
    private int failures;
    private long renewedAt = System.nanoTime();

    /** A batch sent and not yet settled, with the page it was read from. */
    private record InFlight(StreamLog.Page page, List<ClaimedDelivery> records, CompletableFuture<List<AttemptResult>> results) {
    }

    /** The cursor's fence moved on: another reader holds the stream, or it was reset. */
    private static final class LostLease extends Exception {
        LostLease() {
            super(null, null, false, false);
        }
    }

    StreamReader(StreamSubscriber subscriber, StreamSender sender, Held held, StreamLog log, StreamCursors cursors,
            DataSource dataSource, StreamConfig config, Duration lease, Clock clock, Runnable ended) {
        this.subscriber = subscriber;
        this.sender = sender;
        this.held = held;
        this.log = log;
        this.cursors = cursors;
        this.dataSource = dataSource;
        this.config = config;
        this.lease = lease;
        this.clock = clock;
        this.ended = ended;
        this.durable = held.position();
        this.reading = durable;
        this.failures = held.failures();
    }

    StreamSubscriber subscriber() {
        return subscriber;
    }

    /** Something was committed: read now rather than at the next poll. */
    void wake() {
        if (news.availablePermits() == 0) {
            news.release();
        }
    }

    /** Asks the reader to stop; it settles what the sink has answered within a grace, then lets the stream go. */
    void stop() {
        stopping = true;
        stopped.countDown();
        wake();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                try {
                    cycle();
                } catch (SQLException | RuntimeException e) {
                    retryLater("could not read or move the stream: " + e.getMessage());
                }
            }
            settleAnswered();
        } catch (LostLease e) {
            lost = true;
            LOG.infof("Stream %s: another reader holds it now, or it was reset; this instance stops reading it", subscriber.id());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Stream %s: stopping with batches unsettled (%s); they go again from the cursor", subscriber.id(), e.getMessage());
        } finally {
            release();
            ended.run();
        }
    }

    private void cycle() throws SQLException, LostLease {
        renewIfDue();
        if (!caughtUp) {
            caughtUp = fill();
        }
        if (inFlight.isEmpty()) {
            if (caughtUp) {
                awaitNews();
                caughtUp = false;
            }
            return;
        }
        InFlight head = inFlight.peekFirst();
        // Caught up, the reader does not wait for the sink alone: what commits meanwhile is read and
        // sent behind the batches in flight, not after them.
        List<AttemptResult> results = await(head, caughtUp ? max(config.readDelay(), Duration.ofMillis(1)) : lease.dividedBy(3));
        if (results != null) {
            inFlight.removeFirst();
            settle(head, results);
        } else if (caughtUp && news.availablePermits() > 0) {
            caughtUp = false;
        }
    }

    /** Reads and sends pages until the pipeline is full or the log has nothing more for now. @return the latter */
    private boolean fill() throws SQLException {
        while (inFlight.size() < (probing ? 1 : config.batchesInFlight())) {
            news.drainPermits(); // what commits from here on wakes the wait that follows
            int limit = probing ? 1 : sender.recordsPerBatch();
            StreamLog.Page page;
            try (Connection connection = dataSource.getConnection()) {
                page = log.read(connection, reading, subscriber.selection(), limit, clock.instant());
            }
            List<ClaimedDelivery> records = page.entries().stream().map(this::record).toList();
            inFlight.addLast(new InFlight(page, records, records.isEmpty() ? CompletableFuture.completedFuture(List.of()) : send(records)));
            reading = page.next();
            if (records.size() < limit) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<List<AttemptResult>> send(List<ClaimedDelivery> records) {
        Instant started = clock.instant();
        try {
            return sender.sendBatch(records).toCompletableFuture()
                    .exceptionally(error -> failedAll(records, started, error));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failedAll(records, started, e));
        }
    }

    private static List<AttemptResult> failedAll(List<ClaimedDelivery> records, Instant started, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return Collections.nCopies(records.size(), AttemptResult.failed(started, Duration.ZERO, cause.toString()));
    }

    private ClaimedDelivery record(StreamLog.Entry entry) {
        return new ClaimedDelivery(recordId(subscriber.id(), entry.eventId()), entry.eventId(), subscriber.id(), subscriber.kind(), subscriber.target(),
                entry.type(), entry.occurredAt(), failures + 1, entry.payload(), subscriber.secrets(), entry.recordedAt(),
                entry.orderingKey(), entry.tenantId(), entry.schemaVersion(), entry.traceparent(), entry.tracestate());
    }

    /**
     * The same for every send of the event to the subscriber, as a delivery's id is, and kept by its
     * dead delivery should it become one; unlike the event's id, it says nothing another subscriber could link.
     */
    UUID recordId(UUID subscriberId, UUID eventId) {
        return nameUuid(md5, (subscriberId + "/" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    /** {@link UUID#nameUUIDFromBytes}'s, with a digest of the reader's own: looking one up per record cost more than the hash. */
    static UUID nameUuid(MessageDigest md5, byte[] name) {
        byte[] hash = md5.digest(name);
        hash[6] = (byte) (hash[6] & 0x0f | 0x30);
        hash[8] = (byte) (hash[8] & 0x3f | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    /**
     * Moves the cursor past the batch's records up to the first that failed for now, keeping those
     * refused for good as dead letters; after a failure, sends everything from there again later.
     */
    private void settle(InFlight batch, List<AttemptResult> results) throws SQLException, LostLease {
        if (results.size() != batch.records().size()) {
            results = failedAll(batch.records(), clock.instant(), new IllegalStateException(
                    sender.kind() + " answered " + results.size() + " results for " + batch.records().size() + " records"));
        }
        int retryFrom = 0;
        List<DeadLetter> dead = new ArrayList<>();
        while (retryFrom < results.size() && results.get(retryFrom).outcome() != AttemptResult.Outcome.FAILED) {
            if (results.get(retryFrom).outcome() == AttemptResult.Outcome.GONE) {
                dead.add(new DeadLetter(batch.records().get(retryFrom), results.get(retryFrom)));
            }
            retryFrom++;
        }
        if (retryFrom > 0 || results.isEmpty()) {
            StreamPosition to = batch.page().after(retryFrom);
            if (!cursors.move(held, to, retryFrom - dead.size(), dead, lease)) {
                throw new LostLease();
            }
            durable = to;
            renewedAt = System.nanoTime();
            dead.forEach(letter -> LOG.warnf("Stream %s: the %s sink refused event %s for good (%s); it is a dead delivery now",
                    subscriber.id(), sender.kind(), letter.record().eventId(), letter.result().describe()));
        }
        if (retryFrom == results.size()) {
            failures = 0;
            probing = false;
            return;
        }
        retryLater(results.get(retryFrom).describe());
    }

    /** Drops what is in flight, and reads again from the cursor after this failure's wait. */
    private void retryLater(String reason) throws LostLease {
        awaitAll();
        inFlight.clear();
        caughtUp = false;
        probing = true;
        reading = durable;
        failures++;
        Duration wait = backoff(failures);
        LOG.warnf("Stream %s: %s (failure %d); trying again in %d ms", subscriber.id(), reason, failures, wait.toMillis());
        try {
            if (!cursors.failed(held, failures, reason, clock.instant().plus(wait))) {
                throw new LostLease();
            }
        } catch (SQLException e) {
            LOG.debugf("Stream %s: could not record the failure: %s", subscriber.id(), e.getMessage());
        }
        pause(wait);
    }

    private static Duration max(Duration one, Duration other) {
        return one.compareTo(other) >= 0 ? one : other;
    }

    Duration backoff(int failure) {
        Duration wait = config.firstRetry().multipliedBy(1L << Math.min(failure - 1, 20));
        return wait.compareTo(config.longestRetry()) > 0 ? config.longestRetry() : wait;
    }

    private void renewIfDue() throws SQLException, LostLease {
        if (System.nanoTime() - renewedAt >= lease.dividedBy(3).toNanos()) {
            if (!cursors.renew(held, lease)) {
                throw new LostLease();
            }
            renewedAt = System.nanoTime();
        }
    }

    /** Waits, renewing the lease as it goes, until the time is up or the reader is stopped. */
    private void pause(Duration wait) throws LostLease {
        long until = System.nanoTime() + wait.toNanos();
        long step = lease.dividedBy(3).toNanos();
        while (!stopping && System.nanoTime() < until) {
            try {
                stopped.await(Math.min(step, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                renewIfDue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            } catch (SQLException e) {
                LOG.debugf("Stream %s: could not renew its lease while waiting: %s", subscriber.id(), e.getMessage());
            }
        }
    }

    private void awaitNews() {
        try {
            if (news.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)
                    && stopped.await(config.readDelay().toNanos(), TimeUnit.NANOSECONDS)) {
                return; // stopped meanwhile
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private static List<AttemptResult> await(InFlight batch, Duration timeout) {
        try {
            return batch.results().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            return failedAll(batch.records(), Instant.now(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failedAll(batch.records(), Instant.now(), e);
        }
    }

    // Sends still under way finish before the same records go again: a sink sees one copy at a time.
    private void awaitAll() {
        for (InFlight batch : inFlight) {
            batch.results().handle((results, error) -> null).join();
        }
    }

    /** On stop: settles, in order, the batches the sink answers within the grace, so that a restart sends fewer again. */
    private void settleAnswered() throws SQLException, LostLease {
        long until = System.nanoTime() + lease.dividedBy(3).toNanos();
        while (!inFlight.isEmpty()) {
            InFlight head = inFlight.removeFirst();
            List<AttemptResult> results = await(head, Duration.ofNanos(Math.max(0, until - System.nanoTime())));
            if (results == null || !results.stream().allMatch(r -> r.outcome() != AttemptResult.Outcome.FAILED)) {
                return;
            }
            settle(head, results);
        }
    }

    private void release() {
        if (lost) {
            return;
        }
        try {
            cursors.release(held);
        } catch (SQLException e) {
            LOG.debugf("Stream %s: could not release its lease (it runs out by itself): %s", subscriber.id(), e.getMessage());
        }
    }
}
