package io.tidings.it.support;

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

/** Plain SQL on a test database: arranging rows and reading results, each call its own transaction. */
public class Sql {

    private final DataSource dataSource;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A webhook subscriber with its patterns. */
    public UUID webhook(String url, boolean enabled, String... patterns) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO subscribers (id, kind, enabled, target) VALUES (?, 'webhook', ?, jsonb_build_object('url', ?::text))",
                id, enabled, url);
        for (String pattern : patterns) {
            update("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, ?)", id, pattern);
        }
        return id;
    }

    public long count(String sql, Object... args) {
        return ((Number) value(sql, args)).longValue();
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
