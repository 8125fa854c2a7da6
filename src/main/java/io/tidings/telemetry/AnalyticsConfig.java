package io.tidings.telemetry;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Telemetry export to an analytics backend. Nothing leaves unless an operator turns it on. */
@ConfigMapping(prefix = "tidings.analytics")
public interface AnalyticsConfig {

    /** Export telemetry. Defaults to false; takes effect only together with {@link #endpoint()}. */
    @WithDefault("false")
    boolean enabled();

    /** Where telemetry batches are POSTed. No default. */
    Optional<URI> endpoint();

    default boolean active() {
        return enabled() && endpoint().isPresent();
    }
}
