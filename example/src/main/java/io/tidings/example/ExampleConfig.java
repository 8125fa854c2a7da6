package io.tidings.example;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The example application, a demonstration of what a host application's own code does. */
@ConfigMapping(prefix = "tidings.example")
public interface ExampleConfig {

    /**
     * Serve the example API ({@code /api/projects}, {@code /api/jobs}, {@code /api/runs}), which
     * records events without a credential. A demo, for the service's own run: off, its paths answer
     * 404. Defaults to true.
     */
    @WithDefault("true")
    boolean enabled();
}
