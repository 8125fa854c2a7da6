package io.tidings.ops.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long finished deliveries and their events are kept. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.retention")
public interface RetentionConfig {

    /** Run the purge. Defaults to true. */
    @WithDefault("true")
    boolean enabled();

    /** How often the purge runs. Defaults to 1h. */
    @WithDefault("1h")
    Duration interval();

    /** Delivered deliveries (with their attempts), and events left without deliveries, are kept this long. Defaults to 7d. */
    @WithDefault("7d")
    Duration delivered();

    /** Dead deliveries are kept this long, for recovery. Defaults to 30d. */
    @WithDefault("30d")
    Duration dead();

    /** Rows deleted per statement: each batch is its own short transaction. Defaults to 5000. */
    @WithDefault("5000")
    int batchSize();
}
