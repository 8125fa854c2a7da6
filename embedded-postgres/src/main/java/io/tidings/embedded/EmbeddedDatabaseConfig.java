package io.tidings.embedded;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded PostgreSQL used when no {@code quarkus.datasource.jdbc.url} is configured. Read by
 * {@link EmbeddedDatabaseConfigSourceFactory} before the application starts; mapped here so the keys
 * are documented and validated like every other {@code tidings.*} key.
 */
@ConfigMapping(prefix = EmbeddedDatabaseConfig.PREFIX)
public interface EmbeddedDatabaseConfig {

    String PREFIX = "tidings.embedded-postgres";

    /** Start an embedded PostgreSQL when no JDBC URL is configured. Defaults to true. */
    @WithDefault("true")
    boolean enabled();

    /** Where the embedded server keeps its data. Defaults to a temporary directory discarded at exit. */
    Optional<Path> dataDir();

    /** The port of the embedded server. Defaults to 0: any free port, printed in the log at start. */
    @WithDefault("0")
    int port();
}
