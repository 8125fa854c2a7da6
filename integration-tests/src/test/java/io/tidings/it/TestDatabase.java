package io.tidings.it;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tidings.it.support.Sql;
import io.tidings.analytics.internal.AnalyticsSubscriber;

/** The test application's database: reset between tests, plus the {@link Sql} helpers. */
@ApplicationScoped
public class TestDatabase extends Sql {

    @Inject
    public TestDatabase(DataSource dataSource) {
        super(dataSource);
    }

    /** For CDI's client proxy. */
    protected TestDatabase() {
        super(null);
    }

    /**
     * Empties every table a test writes to; the event-type registry and the analytics row stay. A
     * running worker may hold locks on the same tables, so the tables are taken in the worker's order
     * and a deadlock is tried again.
     */
    public void reset() {
        for (int attempt = 1;; attempt++) {
            try {
                update("TRUNCATE deliveries, delivery_attempts, events, event_idempotency_keys, pipeline_runs, jobs, projects CASCADE");
                break;
            } catch (IllegalStateException e) {
                if (attempt == 5 || !(e.getCause() instanceof java.sql.SQLException sql && "40P01".equals(sql.getSQLState()))) {
                    throw e;
                }
            }
        }
        update("DELETE FROM subscribers WHERE id <> ?", AnalyticsSubscriber.ID); // the configured one is kept, disabled
        update("DELETE FROM tenants");
        update("DELETE FROM console_sessions");
        setAnalyticsEnabled(false);
    }

    public UUID webhook(boolean enabled, String... patterns) {
        return webhook("https://example.test/hook", enabled, patterns);
    }

    public void setAnalyticsEnabled(boolean enabled) {
        update("UPDATE subscribers SET enabled = ? WHERE id = ?", enabled, AnalyticsSubscriber.ID);
    }
}
