package io.tidings.analytics.internal;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An example payload made from a schema (with its shared layers inlined), for people choosing what
 * to subscribe to: every property filled in with the schema's own {@code examples}, {@code const},
 * {@code default} or first {@code enum} value where it has one, else a value of its type and format.
 * A string with a {@code pattern} takes the first of a few common shapes that matches; a schema
 * whose pattern none match gives its field {@code examples}, which the tests hold every schema to
 * (each example must pass its own schema).
 */
final class SchemaExamples {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> PATTERNED = List.of("example", "0123456789abcdef".repeat(4), "2026-01-31",
            "project:created", "1.0.0", "0");

    private SchemaExamples() {
    }

    static JsonNode example(JsonNode schema) {
        for (String given : List.of("const", "default")) {
            if (schema.has(given)) {
                return schema.get(given);
            }
        }
        if (schema.path("examples").isArray() && !schema.path("examples").isEmpty()) {
            return schema.path("examples").get(0);
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (schema.path(alternatives).isArray() && !schema.path(alternatives).isEmpty()) {
                return example(schema.path(alternatives).get(0));
            }
        }
        return switch (type(schema)) {
            case "object" -> object(schema);
            case "array" -> array(schema);
            case "string" -> NODES.textNode(string(schema));
            case "integer" -> NODES.numberNode(schema.path("minimum").asLong(0));
            case "number" -> NODES.numberNode(schema.path("minimum").asDouble(0));
            case "boolean" -> NODES.booleanNode(true);
            default -> NODES.nullNode();
        };
    }

    // The first type that is not null: ["string", "null"] is shown as a string.
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (!option.asText().equals("null")) {
                    return option.asText();
                }
            }
            return "null";
        }
        return type.isTextual() ? type.asText() : schema.has("properties") ? "object" : "null";
    }

    private static ObjectNode object(JsonNode schema) {
        ObjectNode object = NODES.objectNode();
        schema.path("properties").fields().forEachRemaining(field -> object.set(field.getKey(), example(field.getValue())));
        return object;
    }

    private static ArrayNode array(JsonNode schema) {
        ArrayNode array = NODES.arrayNode();
        if (schema.has("items")) {
            array.add(example(schema.get("items")));
        }
        return array;
    }

    private static String string(JsonNode schema) {
        switch (schema.path("format").asText()) {
            case "uuid":
                return "4f6d8a52-3c1e-4b7a-9a0e-2d5c7b1f9e63";
            case "date-time":
                return "2026-01-31T09:30:00Z";
            case "date":
                return "2026-01-31";
            case "email":
                return "someone@example.com";
            case "uri":
                return "https://example.com/";
            default:
                break;
        }
        if (schema.has("pattern")) {
            Pattern pattern = Pattern.compile(schema.get("pattern").asText());
            return PATTERNED.stream().filter(candidate -> pattern.matcher(candidate).find()).findFirst().orElse("example");
        }
        return "example".substring(0, Math.min("example".length(), schema.path("maxLength").asInt(Integer.MAX_VALUE)));
    }
}
