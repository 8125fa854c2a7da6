package io.tidings.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * A token bucket per client address: {@code tidings.analytics.relay-per-minute} events a minute,
 * refilled continuously, with the same number as the burst. In memory, per instance.
 */
@Singleton
public class RelayRateLimit {

    private static final int MAX_CLIENTS = 100_000;

    private final double perMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RelayRateLimit(AnalyticsConfig config) {
        this.perMinute = config.relayPerMinute();
    }

    /** Takes {@code events} tokens for the address. @return false when it has not that many left */
    public boolean take(String address, int events) {
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear(); // a flood of addresses must not grow the map without bound
        }
        return buckets.computeIfAbsent(address, a -> new Bucket(perMinute)).take(events, perMinute);
    }

    private static final class Bucket {
        private double tokens;
        private long updated = System.nanoTime();

        Bucket(double capacity) {
            tokens = capacity;
        }

        synchronized boolean take(int events, double perMinute) {
            long now = System.nanoTime();
            tokens = Math.min(perMinute, tokens + (now - updated) / 60e9 * perMinute);
            updated = now;
            if (tokens < events) {
                return false;
            }
            tokens -= events;
            return true;
        }
    }
}
