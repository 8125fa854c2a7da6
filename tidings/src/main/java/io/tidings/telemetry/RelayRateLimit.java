package io.tidings.telemetry;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.RateLimiter;

/**
 * {@code tidings.analytics.relay-per-minute} events a minute per client, with the same number as
 * the burst. In memory, per instance. A client is an IPv4 address or an IPv6 /64, the smallest
 * network one subscriber is usually given: keyed by whole IPv6 addresses, one /64 would be 2^64
 * clients. The address is the connection's, or the one a trusted proxy forwarded
 * ({@code quarkus.http.proxy.*}).
 */
@Singleton
public class RelayRateLimit {

    private static final int MAX_CLIENTS = 100_000;

    private final RateLimiter limiter;

    @Inject
    public RelayRateLimit(AnalyticsConfig config) {
        this.limiter = new RateLimiter(config.relayPerMinute(), MAX_CLIENTS);
    }

    /** Takes {@code events} tokens for the client at this address. @return false when it has not that many left */
    public boolean take(InetAddress address, int events) {
        return limiter.take(clientOf(address), events);
    }

    static String clientOf(InetAddress address) {
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(Arrays.copyOf(address.getAddress(), 8)) + "/64";
        }
        return address.getHostAddress();
    }
}
