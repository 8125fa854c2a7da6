package io.tidings.console.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The browser console under {@code /console}. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.console")
public interface ConsoleConfig {

    /**
     * Whether {@code /console} answers at all; when false every console page is a 404. False at
     * build time leaves the console's paths out, for an application with a {@code /console} of its
     * own. Defaults to true.
     */
    @WithDefault("true")
    boolean enabled();

    /** How long a sign-in lasts, however busy; then the key is asked for again. Defaults to 8 hours. */
    @WithDefault("8h")
    Duration sessionDuration();

    /**
     * Sign-ins one address (an IPv4 address, an IPv6 /64) may try a minute on each instance; more
     * get 429. Defaults to 10.
     */
    @WithDefault("10")
    int signInsPerMinute();
}
