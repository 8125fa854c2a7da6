package io.tidings.api.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per key: {@code perMinute} tokens a minute, refilled continuously, with the same
 * number as the burst. In memory, per instance; at most {@code maxKeys} keys are kept, and the one
 * used least recently goes first, so a flood of new keys cannot reset the bucket of a client that
 * is still sending.
 */
public final class RateLimiter {

    private final double perMinute;
    private final Map<Object, Bucket> buckets;

    public RateLimiter(double perMinute, int maxKeys) {
        this.perMinute = perMinute;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * The client an address stands for: an IPv4 address, or an IPv6 /64, the smallest network one
     * subscriber is usually given (keyed by whole IPv6 addresses, one /64 would be 2^64 clients).
     */
    public static String clientOf(InetAddress address) {
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(Arrays.copyOf(address.getAddress(), 8)) + "/64";
        }
        return address.getHostAddress();
    }

    /** Takes {@code tokens} for the key. @return false when it has not that many left */
    public boolean take(Object key, int tokens) {
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(perMinute));
        }
        return bucket.take(tokens, perMinute);
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
