package io.tidings.outbox.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.tidings.outbox.Emits;

/**
 * The event types this installation knows, read from {@code event_types} once they are written:
 * the types the event classes declare with {@link Emits} are written at start
 * ({@link DeclaredEventTypes}), and they cannot change while the application runs.
 */
@ApplicationScoped
public class EventTypeRegistry {

    private final DataSource dataSource;
    private volatile Map<String, EventType> types;

    @Inject
    public EventTypeRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @throws IllegalArgumentException when the type is not registered */
    public EventType require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("Unknown event type '" + name
                + "': declare it with @Emits on its event class"));
    }

    /**
     * The type at the version an event was rendered with; at its current version for an event
     * recorded before versions were kept (0). @throws IllegalArgumentException as {@link #require} does
     */
    public EventType rendered(String name, int schemaVersion) {
        EventType type = require(name);
        return schemaVersion > 0 ? type.atVersion(schemaVersion) : type;
    }

    public Optional<EventType> find(String name) {
        return Optional.ofNullable(types().get(name));
    }

    /** Every registered type, in name order. */
    public Collection<EventType> all() {
        return types().values();
    }

    /** Reads the table again at the next lookup: the declared types were just written. */
    void reload() {
        types = null;
    }

    private Map<String, EventType> types() {
        Map<String, EventType> loaded = types;
        if (loaded == null) {
            synchronized (this) {
                if (types == null) {
                    types = load();
                }
                loaded = types;
            }
        }
        return loaded;
    }

    private Map<String, EventType> load() {
        String sql = "SELECT name, description, schema_version, telemetry_allowed, client_allowed, older_versions, deprecated_versions "
                + "FROM event_types ORDER BY name";
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            Map<String, EventType> result = new LinkedHashMap<>();
            while (rows.next()) {
                EventType type = new EventType(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getBoolean(4),
                        rows.getBoolean(5), integers(rows.getArray(6)), integers(rows.getArray(7)));
                result.put(type.name(), type);
            }
            return Collections.unmodifiableMap(result); // keeps the name order
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the event_types table", e);
        }
    }

    private static List<Integer> integers(Array array) throws SQLException {
        return Arrays.asList((Integer[]) array.getArray());
    }
}
