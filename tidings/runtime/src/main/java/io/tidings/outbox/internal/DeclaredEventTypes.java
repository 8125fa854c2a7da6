package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/**
 * Writes the event types the application's {@link Event} classes declare with {@link Emits} into
 * {@code event_types} at start, before anything is recorded: code is the source of truth. The
 * declarations were read, and checked with their schemas, while the application was built
 * ({@link EventTypeDeclarations}); a type declared twice or malformed failed that build.
 */
@Singleton
public class DeclaredEventTypes {

    /** Runs before the application's own start-up observers, which may record events. */
    public static final int PRIORITY = jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE + 100;
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)+$");
    private static final Logger LOG = Logger.getLogger(DeclaredEventTypes.class);

    private static final String UPSERT = """
            INSERT INTO event_types AS t (name, description, schema_version, telemetry_allowed, client_allowed, older_versions,
                                          deprecated_versions)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE
               SET description = EXCLUDED.description, schema_version = EXCLUDED.schema_version,
                   telemetry_allowed = EXCLUDED.telemetry_allowed, client_allowed = EXCLUDED.client_allowed,
                   older_versions = EXCLUDED.older_versions, deprecated_versions = EXCLUDED.deprecated_versions
             WHERE (t.description, t.schema_version, t.telemetry_allowed, t.client_allowed, t.older_versions, t.deprecated_versions)
                   IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.schema_version, EXCLUDED.telemetry_allowed,
                                     EXCLUDED.client_allowed, EXCLUDED.older_versions, EXCLUDED.deprecated_versions)
            """;

    private final EventTypeDeclarations declarations;
    private final DataSource dataSource;
    private final EventTypeRegistry registry;

    @Inject
    public DeclaredEventTypes(EventTypeDeclarations declarations, DataSource dataSource, EventTypeRegistry registry) {
        this.declarations = declarations;
        this.dataSource = dataSource;
        this.registry = registry;
    }

    public void seed(@Observes @Priority(PRIORITY) StartupEvent event) throws SQLException {
        int written = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (EventType type : types()) {
                upsert.setString(1, type.name());
                upsert.setString(2, type.description());
                upsert.setInt(3, type.schemaVersion());
                upsert.setBoolean(4, type.telemetryAllowed());
                upsert.setBoolean(5, type.clientAllowed());
                upsert.setArray(6, connection.createArrayOf("integer", type.olderVersions().toArray()));
                upsert.setArray(7, connection.createArrayOf("integer", type.deprecated().toArray()));
                written += upsert.executeUpdate();
            }
        }
        if (written > 0) {
            LOG.infof("Wrote %d of %d declared event types into event_types", written, types().size());
        }
        registry.reload();
    }

    /** The types the event classes declare. */
    public Collection<EventType> types() {
        return declarations.types();
    }

    /** One {@link Emits} on a class. */
    public record Declaration(String declaredBy, EventType type) {

        /** What these classes declare, read from their annotations. */
        public static List<Declaration> of(List<Class<?>> eventClasses) {
            List<Declaration> declarations = new ArrayList<>();
            for (Class<?> type : eventClasses) {
                for (Emits emits : type.getDeclaredAnnotationsByType(Emits.class)) {
                    declarations.add(new Declaration(type.getName(), new EventType(emits.value(), emits.description(),
                            emits.schemaVersion(), emits.telemetry(), emits.fromClients(),
                            olderThan(emits.schemaVersion(), emits.versions()), sorted(emits.deprecated()))));
                }
            }
            return declarations;
        }
    }

    /** Of the versions a declaration lists, those before the current one, ascending; later ones are left for {@link #declared} to refuse. */
    public static List<Integer> olderThan(int current, int[] versions) {
        return Arrays.stream(versions).filter(version -> version != current).distinct().sorted().boxed().toList();
    }

    public static List<Integer> sorted(int[] versions) {
        return Arrays.stream(versions).distinct().sorted().boxed().toList();
    }

    /** Every declared type, in name order. @throws IllegalStateException for a malformed or twice-declared type */
    public static List<EventType> declared(List<Declaration> declarations) {
        Map<String, EventType> types = new TreeMap<>();
        Map<String, String> declaredBy = new LinkedHashMap<>();
        for (Declaration declaration : declarations) {
            String name = declaration.type().name();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("@Emits(\"" + name + "\") on " + declaration.declaredBy()
                        + " is not an event type name: lower-case words separated by ':', at least two");
            }
            String other = declaredBy.putIfAbsent(name, declaration.declaredBy());
            if (other != null) {
                throw new IllegalStateException("Event type " + name + " is declared by both " + other + " and "
                        + declaration.declaredBy() + ": declare it on one class");
            }
            checkVersions(declaration);
            types.put(name, declaration.type());
        }
        return List.copyOf(types.values());
    }

    private static void checkVersions(Declaration declaration) {
        EventType type = declaration.type();
        String where = "@Emits(\"" + type.name() + "\") on " + declaration.declaredBy();
        for (int version : type.olderVersions()) {
            if (version < 1 || version > type.schemaVersion()) {
                throw new IllegalStateException(where + " lists version " + version + " in versions: list the current "
                        + "schemaVersion (" + type.schemaVersion() + ") and earlier ones the class still renders");
            }
        }
        for (int version : type.deprecated()) {
            if (!type.olderVersions().contains(version)) {
                throw new IllegalStateException(where + " deprecates version " + version + ", which it does not render "
                        + "as an older version: deprecated lists versions from versions, before the current one");
            }
        }
    }
}
