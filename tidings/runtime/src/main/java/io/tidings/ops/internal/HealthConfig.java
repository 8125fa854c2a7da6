package io.tidings.ops.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the health checks call unhealthy. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.health")
public interface HealthConfig {

    /** The outbox check reports DOWN when the oldest due delivery has waited longer than this. Defaults to 5m. */
    @WithDefault("5m")
    java.time.Duration maxLag();

    /**
     * Liveness fails when the worker has not completed a cycle for this long (and at least three poll
     * intervals). Defaults to 5m.
     */
    @WithDefault("5m")
    Duration workerStall();
}
