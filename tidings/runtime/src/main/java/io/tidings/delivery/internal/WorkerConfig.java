package io.tidings.delivery.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The delivery worker: how it wakes, how much it claims, and how it stops. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.worker")
public interface WorkerConfig {

    /** Run the worker in this instance. Defaults to true; set false for an API-only instance. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How often the worker looks for due deliveries when no notification woke it, and takes back
     * deliveries whose lease ran out. At least 1s, the Quarkus scheduler's resolution. Defaults to 1s.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** Most deliveries claimed by one statement. Defaults to 100. */
    @WithDefault("100")
    int batchSize();

    /**
     * How long a claimed delivery belongs to this instance, on the database's clock; renewed every
     * third of it while the instance holds the delivery. If the instance dies mid-send, the delivery
     * becomes claimable again when the lease runs out. A kind whose one attempt can take longer than
     * two thirds of this is leased for 1.5 times its longest attempt instead (webhooks:
     * {@code tidings.delivery.timeout} plus twice {@code connect-timeout}), as the start's log says.
     * Defaults to 60s.
     */
    @WithDefault("60s")
    Duration lease();

    /** Most deliveries this instance has claimed and not yet finished. Defaults to 512. */
    @WithDefault("512")
    int maxInFlight();

    /**
     * Most concurrent requests to one subscriber from this instance, so that a slow endpoint cannot
     * take the capacity that others need. Defaults to 16.
     */
    @WithDefault("16")
    int maxInFlightPerSubscriber();

    /** On shutdown, how long in-flight sends may take to finish before they are released to other instances. Defaults to 10s. */
    @WithDefault("10s")
    Duration shutdownGrace();
}
