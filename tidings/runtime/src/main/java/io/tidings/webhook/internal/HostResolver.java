package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Resolves and checks webhook hosts without letting one slow DNS answer delay the others. Lookups
 * are asynchronous and hold no thread; a host has at most one lookup running, which every send to
 * it waits for, up to a time limit; and a checked address is reused for a while, as the JDK's own
 * DNS cache would. A host whose DNS hangs thus delays only its own sends, which fail by the time
 * limit, however many such hosts there are. A send always goes to an address that passed the check.
 */
final class HostResolver {

    private final Function<String, CompletableFuture<InetAddress>> checkedLookup;
    private final Duration timeout;
    private final long reuseNanos;
    private final LongSupplier nanoTime;
    private final Map<String, CompletableFuture<InetAddress>> running = new ConcurrentHashMap<>();
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /**
     * @param checkedLookup resolves a host and checks its addresses, without blocking; fails to refuse
     * @param timeout       how long a send waits for its host's lookup
     * @param reuse         how long a checked address is used without looking the host up again
     */
    HostResolver(Function<String, CompletableFuture<InetAddress>> checkedLookup, Duration timeout, Duration reuse,
            LongSupplier nanoTime) {
        this.checkedLookup = checkedLookup;
        this.timeout = timeout;
        this.reuseNanos = reuse.toNanos();
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    /** The checked address of {@code host}; completes exceptionally when refused, unresolvable or too slow. */
    CompletableFuture<InetAddress> resolve(String host) {
        Resolved known = resolved.get(host);
        if (known != null && nanoTime.getAsLong() - known.at() < reuseNanos) {
            return CompletableFuture.completedFuture(known.address());
        }
        sweepOutdated();
        CompletableFuture<InetAddress> lookup = new CompletableFuture<>();
        CompletableFuture<InetAddress> running = this.running.putIfAbsent(host, lookup);
        if (running == null) {
            lookUp(host, lookup); // once in the map: a lookup can end at once, and then leaves it
            running = lookup;
        }
        return running.copy(); // a copy, so that no caller can complete the lookup others wait for
    }

    /** Hosts whose checked address is kept: those sent to within the last one or two reuse periods. */
    int reusableHosts() {
        return resolved.size();
    }

    /** Hosts whose lookup is still running. */
    int lookupsRunning() {
        return running.size();
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

    // A lookup that never ends is ended here after the time limit, which bounds every send waiting
    // for it; it leaves the running map, and the next send looks the host up afresh.
    private void lookUp(String host, CompletableFuture<InetAddress> lookup) {
        CompletableFuture<InetAddress> started;
        try {
            started = checkedLookup.apply(host);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((address, error) -> {
            // Out of running before completing, so that a caller who saw this lookup end never gets it again.
            if (error == null) {
                resolved.put(host, new Resolved(address, nanoTime.getAsLong()));
            }
            running.remove(host, lookup);
            if (error == null) {
                lookup.complete(address);
            } else {
                lookup.completeExceptionally(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
    }

    private record Resolved(InetAddress address, long at) {
    }
}
