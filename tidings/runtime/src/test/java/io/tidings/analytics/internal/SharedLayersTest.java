package io.tidings.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.outbox.internal.EventType;
import io.tidings.analytics.internal.EventSchemas.Kind;

/** Schemas in this module's test resources: schemas/shared.test refers to layers in schemas/_defs/v1/layers.json. */
class SharedLayersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventType TYPE = new EventType("shared:test", "A test of shared layers.", 1, true);
    private final EventSchemas schemas = new EventSchemas(null);

    @Test
    void a_layer_is_inlined_with_what_the_referring_schema_adds() {
        JsonNode owner = schemas.document(TYPE, Kind.TELEMETRY).orElseThrow().at("/properties/owner");

        assertThat(owner.toString()).doesNotContain("$ref");
        assertThat(owner.path("properties").fieldNames()).toIterable().containsExactlyInAnyOrder("id", "team", "since");
        assertThat(owner.path("required").toString()).isEqualTo("[\"id\",\"since\"]");
        assertThat(owner.path("description").asText()).isEqualTo("The owner of this thing.");
        assertThat(owner.at("/properties/id/x-pseudonym").asBoolean()).isTrue();
        assertThat(owner.at("/properties/team/properties/size/type").asText()).isEqualTo("integer");
        assertThat(owner.path("unevaluatedProperties").asBoolean(true)).isFalse();
    }

    @Test
    void the_validator_resolves_the_layer_from_the_class_path_and_keeps_it_closed() throws Exception {
        assertThat(errors("{\"owner\":{\"id\":\"a\",\"since\":1,\"team\":{\"size\":2}}}")).isEqualTo("[]");
        assertThat(errors("{\"owner\":{\"id\":\"a\",\"since\":1,\"name\":\"Ada\"}}")).contains("name");
        assertThat(errors("{\"owner\":{\"id\":\"a\",\"since\":1,\"team\":{\"size\":2,\"name\":\"x\"}}}")).contains("name");
        assertThat(errors("{\"owner\":{\"since\":1}}")).contains("id");
        assertThat(errors("{\"owner\":{\"id\":\"a\"}}")).contains("since");
    }

    @Test
    void a_property_declared_in_the_layer_and_beside_the_reference_is_refused() throws Exception {
        JsonNode twice = JSON.readTree("{\"$ref\":\"https://x.example/_defs/v1/layers.json#/$defs/team\","
                + "\"properties\":{\"size\":{\"type\":\"string\"}}}");

        assertThatThrownBy(() -> SharedLayers.inline(twice)).hasMessageContaining("size").hasMessageContaining("one place");
    }

    @Test
    void a_reference_to_a_missing_layer_names_the_file() throws Exception {
        JsonNode missing = JSON.readTree("{\"$ref\":\"https://x.example/_defs/v9/none.json#/$defs/team\"}");

        assertThatThrownBy(() -> SharedLayers.inline(missing)).hasMessageContaining("schemas/_defs/v9/none.json");
    }

    private String errors(String payload) throws Exception {
        return schemas.require(TYPE, Kind.TELEMETRY).schema().validate(JSON.readTree(payload)).toString();
    }
}
