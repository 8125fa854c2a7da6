package io.tidings.telemetry;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.RateLimiter;

/**
 * {@code tidings.analytics.relay-per-minute} events a minute per client address, with the same
 * number as the burst. In memory, per instance.
 */
@Singleton
public class RelayRateLimit {

    private static final int MAX_CLIENTS = 100_000;

    private final RateLimiter limiter;

    @Inject
    public RelayRateLimit(AnalyticsConfig config) {
        this.limiter = new RateLimiter(config.relayPerMinute(), MAX_CLIENTS);
    }

    /** Takes {@code events} tokens for the address. @return false when it has not that many left */
    public boolean take(String address, int events) {
        return limiter.take(address, events);
    }
}
