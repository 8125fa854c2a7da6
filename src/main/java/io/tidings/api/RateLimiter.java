package io.tidings.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key: {@code perMinute} tokens a minute, refilled continuously, with the same
 * number as the burst. In memory, per instance; at most {@code maxKeys} keys are kept, and a flood
 * of new keys clears the map rather than growing it without bound.
 */
public final class RateLimiter {

    private final double perMinute;
    private final int maxKeys;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perMinute, int maxKeys) {
        this.perMinute = perMinute;
        this.maxKeys = maxKeys;
    }

    /** Takes {@code tokens} for the key. @return false when it has not that many left */
    public boolean take(Object key, int tokens) {
        if (buckets.size() > maxKeys) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(perMinute)).take(tokens, perMinute);
    }

    private static final class Bucket {
        private double tokens;
        private long updated = System.nanoTime();

        Bucket(double capacity) {
            tokens = capacity;
        }

        synchronized boolean take(int wanted, double perMinute) {
            long now = System.nanoTime();
            tokens = Math.min(perMinute, tokens + (now - updated) / 60e9 * perMinute);
            updated = now;
            if (tokens < wanted) {
                return false;
            }
            tokens -= wanted;
            return true;
        }
    }
}
