package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** How many events were recorded, per type, over a span of time: by the time-ordered ids, not a scan. */
@Singleton
public class EventCounts {

    private static final String RECORDED = "SELECT type, count(*) FROM events WHERE id >= ? AND id < ? GROUP BY type";

    private final DataSource dataSource;

    @Inject
    public EventCounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Per type, the events recorded from {@code from} up to, not including, {@code until}. */
    public Map<String, Long> recorded(Instant from, Instant until) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(RECORDED)) {
            query.setObject(1, Ids.lowestAt(from));
            query.setObject(2, Ids.lowestAt(until));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
