package io.tidings.ops.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Stands in for autovacuum on the outbox tables where it is off (servers that ship it off, a table
 * an operator excluded). Without it every claim walks the dead index entries that the claims and
 * outcomes before it left, and a drain that ran at thousands a second crawls at hundreds; and
 * without ANALYZE, plans made while a table was small outlive its growth. Says so at start;
 * {@code /q/health/well} shows it too.
 */
@Singleton
public class OutboxVacuum {

    private static final Logger LOG = Logger.getLogger(OutboxVacuum.class);
    private static final long LOCK = 0x7469_6469_6e67_7376L; // "tidingsv": one instance vacuums at a time
    private static final String TABLES = """
            SELECT c.relname, s.n_dead_tup, s.n_live_tup, s.n_mod_since_analyze
              FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
             WHERE c.oid IN ('deliveries'::regclass, 'delivery_attempts'::regclass, 'events'::regclass)
               AND NOT (current_setting('autovacuum')::boolean
                        AND coalesce((SELECT option_value::boolean FROM pg_options_to_table(c.reloptions)
                                       WHERE option_name = 'autovacuum_enabled'), true))
             ORDER BY c.relname
            """;

    private final DataSource dataSource;
    private final VacuumConfig config;

    @Inject
    public OutboxVacuum(DataSource dataSource, VacuumConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    void warnAtStart(@Observes StartupEvent start) {
        try {
            List<String> off = tablesWithoutAutovacuum();
            if (!off.isEmpty()) {
                LOG.warnf("Autovacuum is off for %s; %s", String.join(", ", off), config.enabled()
                        ? "Tidings vacuums them itself (tidings.vacuum.enabled). Turn autovacuum on for them if you can"
                        : "with tidings.vacuum.enabled=false nothing vacuums them, and claims will slow down as dead rows pile up");
            }
        } catch (SQLException e) {
            LOG.debugf("Could not read the autovacuum settings: %s", e.getMessage());
        }
    }

    /** The outbox tables autovacuum does not look after. */
    public List<String> tablesWithoutAutovacuum() throws SQLException {
        List<String> off = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(TABLES)) {
            while (rows.next()) {
                off.add(rows.getString(1));
            }
        }
        return off;
    }

    @Scheduled(every = "${tidings.vacuum.interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            run();
        } catch (SQLException e) {
            LOG.warnf("Vacuuming the outbox tables failed and is tried again in %s: %s", config.interval(), e.getMessage());
        }
    }

    /** Vacuums the tables without autovacuum that hold enough dead rows, and analyzes those that grew. @return the tables */
    public List<String> run() throws SQLException {
        List<String> vacuumed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true); // VACUUM runs outside any transaction
            if (!lock(connection, "pg_try_advisory_lock")) {
                return vacuumed;
            }
            try (Statement statement = connection.createStatement()) {
                for (Map.Entry<String, String> due : due(statement).entrySet()) {
                    long started = System.nanoTime();
                    statement.execute(due.getValue() + " " + due.getKey()); // a name from pg_class, one of three
                    vacuumed.add(due.getKey());
                    LOG.infof("%s %s in %d ms (autovacuum is off for it)", due.getValue().startsWith("VACUUM") ? "Vacuumed" : "Analyzed",
                            due.getKey(), (System.nanoTime() - started) / 1_000_000);
                }
            } finally {
                lock(connection, "pg_advisory_unlock");
            }
        }
        return vacuumed;
    }

    /**
     * What each table is due, as autovacuum would decide it: VACUUM (ANALYZE) once dead rows pile
     * up; ANALYZE alone once a tenth of it is new (autoanalyze's rule). The statistics matter
     * beyond the planner's estimates: ANALYZE is what makes every connection plan its foreign-key
     * checks again, and a check planned while {@code events} was nearly empty scanned the whole
     * table for each delivery written (50,003 rows read for one delivery, with 50,000 events).
     */
    private Map<String, String> due(Statement statement) throws SQLException {
        Map<String, String> due = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery(TABLES)) {
            while (rows.next()) {
                long live = rows.getLong(3);
                if (rows.getLong(2) > config.threshold() + live / 100) {
                    due.put(rows.getString(1), "VACUUM (ANALYZE)");
                } else if (rows.getLong(4) > config.threshold() + live / 10) {
                    due.put(rows.getString(1), "ANALYZE");
                }
            }
        }
        return due;
    }

    private static boolean lock(Connection connection, String function) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT " + function + "(?)")) {
            lock.setLong(1, LOCK);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
