package io.tidings.analytics.internal;

import java.net.InetAddress;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.internal.RateLimiter;

/**
 * {@code tidings.analytics.relay-per-minute} events a minute per client, with the same number as
 * the burst. In memory, per instance. A client is {@link RateLimiter#clientOf}: an IPv4 address or
 * an IPv6 /64. The address is the connection's, or the one a trusted proxy forwarded
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

    public static String clientOf(InetAddress address) {
        return RateLimiter.clientOf(address);
    }
}
