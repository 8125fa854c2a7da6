package io.tidings.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's logging. Applied through {@code quarkus.log.console.json.enabled} in application.properties. */
@ConfigMapping(prefix = "tidings.log")
public interface LogConfig {

    /** One JSON object per log line, with the delivery ids as fields. Defaults to false. */
    @WithDefault("false")
    boolean json();
}
