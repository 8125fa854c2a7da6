package io.tidings.ops.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The outbox gauges. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.metrics")
public interface MetricsConfig {

    /** How often the backlog gauges are refreshed from the database. Defaults to 15s. */
    @WithDefault("15s")
    Duration refresh();
}
