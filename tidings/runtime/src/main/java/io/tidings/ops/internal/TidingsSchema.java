package io.tidings.ops.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.StartupEvent;
import io.tidings.outbox.internal.DeclaredEventTypes;

/**
 * Tidings' own tables, migrated by a Flyway of their own: migrations under {@code db/tidings}, history
 * in {@code tidings_schema_history}, so that a host application's migrations (under Quarkus'
 * {@code quarkus.flyway.*}) keep their own numbering and history. They run just before the host's,
 * since a host's migrations add columns to {@code events}; at start too, for a host that migrates
 * otherwise. A database migrated before Tidings had a history of its own takes over its rows.
 */
@Singleton
public class TidingsSchema implements FlywayConfigurationCustomizer {

    public static final String HISTORY = "tidings_schema_history";
    public static final String LOCATION = "classpath:db/tidings";
    private static final Logger LOG = Logger.getLogger(TidingsSchema.class);

    private final DataSource dataSource;
    // Set once this process brought the tables up to date: the migrations ship with it, so none can be added later.
    private volatile boolean upToDate;

    @Inject
    public TidingsSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void customize(FluentConfiguration host) {
        Callback[] callbacks = host.getCallbacks();
        Callback[] withOurs = Arrays.copyOf(callbacks, callbacks.length + 1);
        withOurs[callbacks.length] = new BaseCallback() {
            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.BEFORE_MIGRATE;
            }

            @Override
            public void handle(Event event, Context context) {
                migrate(host.getDataSource());
                upToDate = true;
            }
        };
        host.callbacks(withOurs);
    }

    // Before the declared event types are written into the tables this creates.
    void onStart(@Observes @Priority(DeclaredEventTypes.PRIORITY - 50) StartupEvent event) {
        if (!upToDate) {
            migrate(dataSource);
            upToDate = true;
        }
    }

    /** Migrations of Tidings' tables the database lacks; none once this process has migrated them. */
    public int pending() {
        return upToDate ? 0 : pending(dataSource);
    }

    /** Brings Tidings' tables up to date; a no-op when they are. */
    public static void migrate(DataSource dataSource) {
        Flyway flyway = flyway(dataSource);
        adoptSharedHistory(dataSource, flyway);
        int applied = flyway.migrate().migrationsExecuted;
        if (applied > 0) {
            LOG.infof("Applied %d migrations of Tidings' tables (history in %s)", applied, HISTORY);
        }
    }

    /** Migrations of Tidings' tables the database lacks. */
    public static int pending(DataSource dataSource) {
        return flyway(dataSource).info().pending().length;
    }

    private static Flyway flyway(DataSource dataSource) {
        // The application's tables, or its history, may be there first: Tidings' start from version 0.
        return Flyway.configure(TidingsSchema.class.getClassLoader()).dataSource(dataSource).table(HISTORY)
                .locations(LOCATION).baselineOnMigrate(true).baselineVersion("0").load();
    }

    // Before 0.2 Tidings' migrations shared Flyway's default history with the application's.
    private static void adoptSharedHistory(DataSource dataSource, Flyway flyway) {
        String[] scripts = Arrays.stream(flyway.info().all()).map(MigrationInfo::getScript).toArray(String[]::new);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (exists(connection, HISTORY) || !exists(connection, "flyway_schema_history")) {
                return;
            }
            try (PreparedStatement shared = connection.prepareStatement(
                    "SELECT count(*) FROM flyway_schema_history WHERE script = ANY (?) AND success")) {
                shared.setArray(1, connection.createArrayOf("text", scripts));
                try (ResultSet count = shared.executeQuery()) {
                    if (!count.next() || count.getInt(1) == 0) {
                        return;
                    }
                }
            }
            statement.execute("CREATE TABLE " + HISTORY + " (LIKE flyway_schema_history INCLUDING ALL)");
            try (PreparedStatement copy = connection.prepareStatement(
                    "INSERT INTO " + HISTORY + " SELECT * FROM flyway_schema_history WHERE script = ANY (?)")) {
                copy.setArray(1, connection.createArrayOf("text", scripts));
                LOG.infof("Took over %d rows of Tidings' migrations from flyway_schema_history into %s", copy.executeUpdate(), HISTORY);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the schema history", e);
        }
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
