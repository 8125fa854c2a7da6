package io.tidings;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tidings.support.Sql;
import io.tidings.telemetry.AnalyticsSubscriber;

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

    /** Empties every table a test writes to; the event-type registry and the analytics row stay. */
    public void reset() {
        update("TRUNCATE delivery_attempts, deliveries, events, subscriptions, pipeline_runs, jobs, projects CASCADE");
        update("DELETE FROM subscribers WHERE kind <> 'analytics'");
        setAnalyticsEnabled(false);
    }

    public UUID webhook(boolean enabled, String... patterns) {
        return webhook("https://example.test/hook", enabled, patterns);
    }

    public void setAnalyticsEnabled(boolean enabled) {
        update("UPDATE subscribers SET enabled = ? WHERE id = ?", enabled, AnalyticsSubscriber.ID);
    }
}
