package io.tidings.analytics.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a new version of a payload schema breaks for a reader of the previous one: a field removed
 * or retyped, a required field added, an enum narrowed, an open object closed. Adding an optional
 * field, widening an enum and rewording a description break nothing. Both schemas are read with
 * their shared layers inlined.
 */
public final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /** Each breaking change from {@code previous} to {@code next}, naming its path; empty when none. */
    public static List<String> breakingChanges(JsonNode previous, JsonNode next) {
        List<String> changes = new ArrayList<>();
        compare("$", previous, next, changes);
        return changes;
    }

    private static void compare(String at, JsonNode previous, JsonNode next, List<String> changes) {
        Set<String> before = types(previous);
        Set<String> after = types(next);
        if (!before.isEmpty() && !after.containsAll(before)) {
            changes.add(at + " was " + String.join("|", before) + " and is now " + (after.isEmpty() ? "untyped" : String.join("|", after)));
            return;
        }
        if (previous.has("enum") && next.has("enum")) {
            Set<String> dropped = values(previous.path("enum"));
            dropped.removeAll(values(next.path("enum")));
            if (!dropped.isEmpty()) {
                changes.add(at + " no longer allows " + new java.util.TreeSet<>(dropped));
            }
        }
        if (previous.path("additionalProperties").asBoolean(true) && previous.path("unevaluatedProperties").asBoolean(true)
                && !(next.path("additionalProperties").asBoolean(true) && next.path("unevaluatedProperties").asBoolean(true))) {
            changes.add(at + " was open to more fields and is now closed");
        }
        Set<String> required = values(next.path("required"));
        required.removeAll(values(previous.path("required")));
        required.forEach(field -> changes.add(at + "." + field + " is newly required"));
        Iterator<Map.Entry<String, JsonNode>> fields = previous.path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode now = next.path("properties").get(field.getKey());
            if (now == null) {
                changes.add(at + "." + field.getKey() + " was removed");
            } else {
                compare(at + "." + field.getKey(), field.getValue(), now, changes);
            }
        }
        if (previous.path("items").isObject() && next.path("items").isObject()) {
            compare(at + "[]", previous.path("items"), next.path("items"), changes);
        }
    }

    private static Set<String> types(JsonNode schema) {
        return schema.path("type").isArray() ? values(schema.path("type"))
                : schema.has("type") ? new HashSet<>(Set.of(schema.path("type").asText())) : new HashSet<>();
    }

    private static Set<String> values(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(value -> values.add(value.isTextual() ? value.asText() : value.toString()));
        return values;
    }
}
