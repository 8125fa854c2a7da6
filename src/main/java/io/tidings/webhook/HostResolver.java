package io.tidings.webhook;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Resolves and checks webhook hosts without letting one slow DNS answer delay the others. Lookups
 * block, so they run on a small pool of their own, never on Vert.x' shared worker pool; a host has
 * at most one lookup running, which every send to it waits for, up to a time limit; and a checked
 * address is reused for a while, as the JDK's own DNS cache would. A host whose DNS hangs thus
 * holds one thread, and its sends fail by the time limit, while every other host resolves as usual.
 * A send always goes to an address that passed the check.
 */
final class HostResolver implements AutoCloseable {

    static final int THREADS = 8;

    private final Function<String, InetAddress> checkedLookup;
    private final Duration timeout;
    private final long reuseNanos;
    private final LongSupplier nanoTime;
    private final Map<String, CompletableFuture<InetAddress>> running = new ConcurrentHashMap<>();
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
    private final ExecutorService lookups;
    private final AtomicLong lastSweep;

    /**
     * @param checkedLookup resolves a host and checks its addresses; blocks, and throws to refuse
     * @param timeout       how long a send waits for its host's lookup
     * @param reuse         how long a checked address is used without looking the host up again
     */
    HostResolver(Function<String, InetAddress> checkedLookup, Duration timeout, Duration reuse, LongSupplier nanoTime) {
        this.checkedLookup = checkedLookup;
        this.timeout = timeout;
        this.reuseNanos = reuse.toNanos();
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
        AtomicInteger threads = new AtomicInteger();
        this.lookups = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "tidings-dns-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The checked address of {@code host}; completes exceptionally when refused, unresolvable or too slow. */
    CompletableFuture<InetAddress> resolve(String host) {
        Resolved known = resolved.get(host);
        if (known != null && nanoTime.getAsLong() - known.at() < reuseNanos) {
            return CompletableFuture.completedFuture(known.address());
        }
        sweepOutdated();
        return running.computeIfAbsent(host, this::lookUp).copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hosts whose checked address is kept: those sent to within the last one or two reuse periods. */
    int reusableHosts() {
        return resolved.size();
    }

    // Hosts of deleted or changed webhooks are never asked for again: drop outdated addresses, at
    // most once per reuse period, so that one sweep costs no more than the lookups of that period.
    private void sweepOutdated() {
        long now = nanoTime.getAsLong();
        long last = lastSweep.get();
        if (now - last >= reuseNanos && lastSweep.compareAndSet(last, now)) {
            resolved.values().removeIf(known -> now - known.at() >= reuseNanos);
        }
    }

    private CompletableFuture<InetAddress> lookUp(String host) {
        CompletableFuture<InetAddress> lookup = new CompletableFuture<>();
        try {
            lookups.execute(() -> {
                // Out of running before completing, so that a caller who saw this lookup end never gets it again.
                try {
                    InetAddress address = checkedLookup.apply(host);
                    resolved.put(host, new Resolved(address, nanoTime.getAsLong()));
                    running.remove(host, lookup);
                    lookup.complete(address);
                } catch (RuntimeException e) {
                    running.remove(host, lookup);
                    lookup.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            lookup.completeExceptionally(closed);
        }
        return lookup;
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }

    private record Resolved(InetAddress address, long at) {
    }
}
