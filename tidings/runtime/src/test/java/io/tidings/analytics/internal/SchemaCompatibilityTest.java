package io.tidings.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = """
            {"type": "object", "additionalProperties": false, "required": ["order"],
             "properties": {"order": {"type": "object", "additionalProperties": false, "required": ["id"],
               "properties": {"id": {"type": "string"}, "total": {"type": "number"},
                              "status": {"type": "string", "enum": ["placed", "paid"]},
                              "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}}}}}}
            """;

    @Test
    void adding_an_optional_field_widening_an_enum_and_rewording_break_nothing() {
        assertThat(changes(V1, V1.replace("\"total\": {\"type\": \"number\"}", "\"total\": {\"type\": \"number\", \"description\": \"in cents\"}, "
                + "\"currency\": {\"type\": \"string\"}").replace("[\"placed\", \"paid\"]", "[\"placed\", \"paid\", \"shipped\"]"))).isEmpty();
    }

    @Test
    void a_removed_field_is_breaking() {
        assertThat(changes(V1, V1.replaceAll("\"total\": \\{\"type\": \"number\"},\\s*", ""))).containsExactly("$.order.total was removed");
    }

    @Test
    void a_retyped_field_is_breaking_even_inside_an_array() {
        assertThat(changes(V1, V1.replace("\"total\": {\"type\": \"number\"}", "\"total\": {\"type\": \"string\"}")))
                .containsExactly("$.order.total was number and is now string");
        assertThat(changes(V1, V1.replace("\"sku\": {\"type\": \"string\"}", "\"sku\": {\"type\": \"integer\"}")))
                .containsExactly("$.order.lines[].sku was string and is now integer");
    }

    @Test
    void a_newly_required_field_is_breaking() {
        assertThat(changes(V1, V1.replace("\"required\": [\"id\"]", "\"required\": [\"id\", \"total\"]")))
                .containsExactly("$.order.total is newly required");
    }

    @Test
    void a_narrowed_enum_is_breaking() {
        assertThat(changes(V1, V1.replace("[\"placed\", \"paid\"]", "[\"placed\"]"))).containsExactly("$.order.status no longer allows [paid]");
    }

    @Test
    void closing_an_open_object_is_breaking() {
        assertThat(changes(V1, V1.replace("\"items\": {\"type\": \"object\", ", "\"items\": {\"type\": \"object\", \"additionalProperties\": false, ")))
                .containsExactly("$.order.lines[] was open to more fields and is now closed");
    }

    private static java.util.List<String> changes(String previous, String next) {
        try {
            JsonNode before = JSON.readTree(previous);
            JsonNode after = JSON.readTree(next);
            return SchemaCompatibility.breakingChanges(before, after);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
