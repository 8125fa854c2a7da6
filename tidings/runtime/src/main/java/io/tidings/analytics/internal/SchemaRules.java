package io.tidings.analytics.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;

import io.tidings.outbox.internal.EventType;
import io.tidings.analytics.internal.EventSchemas.Kind;

/**
 * The rules every event schema keeps, the application's as much as Tidings' own: it exists, it is a
 * valid draft 2020-12 schema, its {@code $id} is an https URL and its {@code version} the declared
 * one, every object is closed and every field described, and no telemetry field is personal. The
 * extension checks them while the application is built, so a broken schema fails the build with
 * the file to change.
 */
public final class SchemaRules {

    private static final JsonSchema META_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private SchemaRules() {
    }

    /** What is wrong with these types' schemas, each naming its file; empty when nothing is. */
    public static List<String> problems(Collection<EventType> types) {
        return problems(types, Set.of());
    }

    /**
     * The same, and for each type past version 1 whatever its schemas break for readers of the
     * version before, unless its name is among {@code breaking} (declared so with {@code @Emits}).
     */
    public static List<String> problems(Collection<EventType> types, Set<String> breaking) {
        List<String> problems = new ArrayList<>();
        for (EventType type : types) {
            kinds(type).forEach(kind -> check(type, kind, problems));
            // webhooks that pin an older version receive its notification payload, checked against its schema
            type.olderVersions().forEach(version -> check(type.atVersion(version), Kind.NOTIFICATION, problems));
            if (type.schemaVersion() > 1 && !breaking.contains(type.name())) {
                kinds(type).forEach(kind -> compareWithPrevious(type, kind, problems));
            }
        }
        return problems;
    }

    private static void compareWithPrevious(EventType type, Kind kind, List<String> problems) {
        EventType previous = type.atVersion(type.schemaVersion() - 1);
        String path = EventSchemas.path(type, kind);
        Optional<EventSchemas.Loaded> before = EventSchemas.load(EventSchemas.path(previous, kind));
        Optional<EventSchemas.Loaded> now = EventSchemas.load(path);
        if (before.isEmpty()) {
            problems.add("keep " + EventSchemas.path(previous, kind) + " beside " + path + ": events recorded at v"
                    + previous.schemaVersion() + " still leave with it, and the build compares the two");
        } else if (now.isPresent()) {
            SchemaCompatibility.breakingChanges(before.get().document(), now.get().document()).forEach(change -> problems.add(
                    path + ": " + change + " since v" + previous.schemaVersion() + ", which breaks its readers; declare "
                            + "@Emits(value = \"" + type.name() + "\", breaking = true) to ship it as a breaking change"));
        }
    }

    /** Every schema file these types need. */
    public static List<String> paths(Collection<EventType> types) {
        return types.stream().flatMap(type -> Stream.concat(kinds(type).stream().map(kind -> EventSchemas.path(type, kind)),
                type.olderVersions().stream().map(version -> EventSchemas.path(type.atVersion(version), Kind.NOTIFICATION)))).toList();
    }

    // A notification schema for every type, a telemetry one for the types that may be exported.
    private static List<Kind> kinds(EventType type) {
        return type.telemetryAllowed() ? List.of(Kind.NOTIFICATION, Kind.TELEMETRY) : List.of(Kind.NOTIFICATION);
    }

    private static void check(EventType type, Kind kind, List<String> problems) {
        String path = EventSchemas.path(type, kind);
        Optional<EventSchemas.Loaded> loaded;
        try {
            loaded = EventSchemas.load(path);
        } catch (RuntimeException e) {
            problems.add(path + ": " + e.getMessage());
            return;
        }
        if (loaded.isEmpty()) {
            problems.add("add " + path + ", the JSON Schema of the " + kind.file() + " payload of " + type.name() + " v"
                    + type.schemaVersion());
            return;
        }
        List<String> found = new ArrayList<>();
        JsonNode schema = loaded.get().document();
        META_SCHEMA.validate(schema).forEach(error -> found.add("not a valid JSON Schema: " + error.getMessage()));
        if (!schema.path("$id").asText().startsWith("https://")) {
            found.add("$id must be the https:// URL the schema is published at");
        }
        if (schema.path("version").asInt(-1) != type.schemaVersion()) {
            found.add("\"version\" must be " + type.schemaVersion() + ", the version @Emits declares");
        }
        objects(schema, "$", (at, object) -> {
            if (object.path("additionalProperties").asBoolean(true) && object.path("unevaluatedProperties").asBoolean(true)) {
                found.add(at + " must be closed: \"additionalProperties\": false");
            }
            object.path("properties").fields().forEachRemaining(field -> {
                if (field.getValue().path("description").asText().isBlank()) {
                    found.add(at + "." + field.getKey() + " needs a description");
                }
            });
        });
        if (kind == Kind.TELEMETRY && schema.toString().contains("\"x-pii\"")) {
            found.add("a telemetry schema holds no personal field (x-pii): leave it out or pseudonymize it");
        }
        found.forEach(problem -> problems.add(path + ": " + problem));
    }

    private static void objects(JsonNode schema, String path, BiConsumer<String, JsonNode> visit) {
        if ("object".equals(schema.path("type").asText())) {
            visit.accept(path, schema);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            objects(field.getValue(), path + "." + field.getKey(), visit);
        }
        if (schema.path("items").isObject()) {
            objects(schema.path("items"), path + "[]", visit);
        }
    }
}
