package io.tidings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tidings.telemetry.AnalyticsSubscriber;

/** Direct SQL on the test database: resetting it between tests, arranging rows, reading results. */
@ApplicationScoped
public class TestDatabase {

    @Inject
    DataSource dataSource;

    /** Empties every table a test writes to; the event-type registry and the analytics row stay. */
    public void reset() {
        update("TRUNCATE delivery_attempts, deliveries, events, subscriptions, pipeline_runs, jobs, projects CASCADE");
        update("DELETE FROM subscribers WHERE kind <> 'analytics'");
        setAnalyticsEnabled(false);
    }

    public UUID webhook(boolean enabled, String... patterns) {
        return webhook("https://example.test/hook", enabled, patterns);
    }

    public UUID webhook(String url, boolean enabled, String... patterns) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO subscribers (id, kind, enabled, url) VALUES (?, 'webhook', ?, ?)", id, enabled, url);
        for (String pattern : patterns) {
            update("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, ?)", id, pattern);
        }
        return id;
    }

    public void setAnalyticsEnabled(boolean enabled) {
        update("UPDATE subscribers SET enabled = ? WHERE id = ?", enabled, AnalyticsSubscriber.ID);
    }

    public long count(String sql, Object... args) {
        return ((Number) rows(sql, args).get(0).values().iterator().next()).longValue();
    }

    public Object value(String sql, Object... args) {
        return rows(sql, args).get(0).values().iterator().next();
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }
}
