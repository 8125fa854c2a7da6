package io.tidings.delivery.internal;

import java.time.Duration;
import java.util.List;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How one delivery attempt is made and what happens when it fails. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.delivery")
public interface DeliveryConfig {

    /** Total time one attempt may take, from connecting to the last byte of the response. Defaults to 15s. */
    @WithDefault("15s")
    Duration timeout();

    /** Time to establish a connection. Defaults to 5s. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * The waits between attempts: after the n-th failed attempt the next comes after the n-th step
     * (give or take the jitter); after the last step the delivery is dead. Defaults to
     * 5s,5m,30m,2h,5h,10h,10h, eight attempts over about 28 hours.
     */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** Each wait is varied at random by up to this fraction, so retries of many deliveries spread out. Defaults to 0.2. */
    @WithDefault("0.2")
    double retryJitter();

    /** The longest wait a receiver's Retry-After header can ask for. Defaults to 1h. */
    @WithDefault("1h")
    Duration maxRetryAfter();

    /** How much of a response body is kept in the attempt log. Defaults to 1024 bytes. */
    @WithDefault("1024")
    int responseExcerptBytes();
}
