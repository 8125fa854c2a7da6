package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/**
 * Writes the event types the application's {@link Event} classes declare with {@link Emits} into
 * {@code event_types} at start, before anything is recorded: code is the source of truth, and a
 * type declared twice or malformed stops the start with what to change.
 */
@Singleton
public class DeclaredEventTypes {

    /** Runs before the application's own start-up observers, which may record events. */
    public static final int PRIORITY = jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE + 100;
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)+$");
    private static final Logger LOG = Logger.getLogger(DeclaredEventTypes.class);

    private static final String UPSERT = """
            INSERT INTO event_types AS t (name, description, schema_version, telemetry_allowed, client_allowed)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE
               SET description = EXCLUDED.description, schema_version = EXCLUDED.schema_version,
                   telemetry_allowed = EXCLUDED.telemetry_allowed, client_allowed = EXCLUDED.client_allowed
             WHERE (t.description, t.schema_version, t.telemetry_allowed, t.client_allowed)
                   IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.schema_version, EXCLUDED.telemetry_allowed, EXCLUDED.client_allowed)
            """;

    private final EntityManagerFactory entities;
    private final DataSource dataSource;
    private final EventTypeRegistry registry;
    private volatile Map<String, EventType> declared = Map.of();

    @Inject
    public DeclaredEventTypes(EntityManagerFactory entities, DataSource dataSource, EventTypeRegistry registry) {
        this.entities = entities;
        this.dataSource = dataSource;
        this.registry = registry;
    }

    void seed(@Observes @Priority(PRIORITY) StartupEvent event) throws SQLException {
        declared = declared(entities.getMetamodel().getEntities().stream()
                .<Class<?>>map(EntityType::getJavaType).filter(Event.class::isAssignableFrom).toList());
        int written = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (EventType type : declared.values()) {
                upsert.setString(1, type.name());
                upsert.setString(2, type.description());
                upsert.setInt(3, type.schemaVersion());
                upsert.setBoolean(4, type.telemetryAllowed());
                upsert.setBoolean(5, type.clientAllowed());
                written += upsert.executeUpdate();
            }
        }
        if (written > 0) {
            LOG.infof("Wrote %d of %d declared event types into event_types", written, declared.size());
        }
        registry.reload();
    }

    /** The types the event classes declare, once written at start. */
    public java.util.Collection<EventType> types() {
        return declared.values();
    }

    /** Every type the classes declare, in name order. @throws IllegalStateException for a malformed or twice-declared type */
    static Map<String, EventType> declared(List<Class<?>> eventClasses) {
        Map<String, EventType> types = new java.util.TreeMap<>();
        Map<String, Class<?>> declaredBy = new LinkedHashMap<>();
        for (Class<?> type : eventClasses) {
            for (Emits emits : type.getDeclaredAnnotationsByType(Emits.class)) {
                if (!NAME.matcher(emits.value()).matches()) {
                    throw new IllegalStateException("@Emits(\"" + emits.value() + "\") on " + type.getName()
                            + " is not an event type name: lower-case words separated by ':', at least two");
                }
                Class<?> other = declaredBy.putIfAbsent(emits.value(), type);
                if (other != null) {
                    throw new IllegalStateException("Event type " + emits.value() + " is declared by both " + other.getName()
                            + " and " + type.getName() + ": declare it on one class");
                }
                types.put(emits.value(), new EventType(emits.value(), emits.description(), emits.schemaVersion(),
                        emits.telemetry(), emits.fromClients()));
            }
        }
        return types;
    }
}
