package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The SQL on the sealed secret columns of {@code subscribers} ({@code secret}, {@code
 * previous_secrets}). Sealing and opening are the secrets package's; this class only reads and
 * writes what it is handed.
 */
@Singleton
public class SubscriberSecrets {

    private static final String UNSEALED = """
            SELECT id, secret, previous_secrets::text FROM subscribers
             WHERE secret NOT LIKE ? OR EXISTS (SELECT 1 FROM jsonb_array_elements(previous_secrets) p WHERE p ->> 'secret' NOT LIKE ?)
             LIMIT ? FOR UPDATE SKIP LOCKED
            """;

    private final DataSource dataSource;

    private record Row(UUID id, String secret, String previous) {
    }

    @Inject
    public SubscriberSecrets(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Rewrites up to {@code limit} subscribers with a secret, current or previous, that does not
     * start with {@code currentPrefix}, in one transaction.
     *
     * @param resealSecret turns a stored secret into its value under the current key
     * @param resealPrevious does the same to each secret of a {@code previous_secrets} JSON array
     * @return how many subscribers changed: 0 when none is left
     */
    public int reseal(String currentPrefix, int limit, UnaryOperator<String> resealSecret, UnaryOperator<String> resealPrevious)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(UNSEALED)) {
                select.setString(1, currentPrefix + "%");
                select.setString(2, currentPrefix + "%");
                select.setInt(3, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new Row(row.getObject(1, UUID.class), row.getString(2), row.getString(3)));
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE subscribers SET secret = ?, previous_secrets = ?::jsonb WHERE id = ?")) {
                for (Row row : rows) {
                    update.setString(1, row.secret() == null ? null : resealSecret.apply(row.secret()));
                    update.setString(2, resealPrevious.apply(row.previous()));
                    update.setObject(3, row.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            connection.commit();
            return rows.size();
        }
    }

    /** Clears previous secrets whose overlap has passed. @return how many subscribers changed */
    public int clearExpiredPrevious() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE subscribers s
                           SET previous_secrets = (SELECT coalesce(jsonb_agg(p), '[]') FROM jsonb_array_elements(s.previous_secrets) p
                                                    WHERE (p ->> 'expires_at')::timestamptz > now())
                         WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(s.previous_secrets) p
                                        WHERE (p ->> 'expires_at')::timestamptz <= now())
                        """)) {
            return update.executeUpdate();
        }
    }

    /** Whether any subscriber stores a secret, current or previous. */
    public boolean anyStored() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM subscribers WHERE secret IS NOT NULL OR previous_secrets <> '[]')");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        }
    }
}
