package io.tidings.analytics.internal;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which of the analytics kind's public surfaces the application has: decided when it is built. */
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
@ConfigMapping(prefix = "tidings.analytics")
public interface AnalyticsBuildConfig {

    /** The property that leaves the relay out; read by {@code @IfBuildProperty} too. */
    String RELAY_ENABLED = "tidings.analytics.relay-enabled";
    /** The property that leaves the {@code /collected} page out. */
    String COLLECTED_PAGE_ENABLED = "tidings.analytics.collected-page-enabled";

    /**
     * Whether the front-end relay is part of the application: {@code POST /api/analytics} and
     * {@code /tidings.js}. Read at build: false leaves both out (404). Defaults to true.
     */
    @WithDefault("true")
    boolean relayEnabled();

    /**
     * Whether the {@code /collected} page, which tells anyone what telemetry this installation
     * sends, is part of the application. Read at build: false leaves it out (404), for an
     * application that publishes the same on a page of its own. Defaults to true.
     */
    @WithDefault("true")
    boolean collectedPageEnabled();
}
