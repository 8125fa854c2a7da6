package io.tidings.analytics.internal;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidings.outbox.internal.EventType;
import io.tidings.analytics.internal.EventSchemas.Kind;

/** Exactly which fields of each event type leave as telemetry, read from the telemetry schemas. */
@Singleton
public class CollectedFields {

    /** One field that leaves: where it sits in the payload, what it means, whether it is a pseudonym. */
    public record Field(String path, String description, boolean pseudonymized) {
    }

    @Inject
    EventSchemas schemas;
    @Inject
    TelemetryExport export;

    /** The fields of the type that leave; none when the type is not exported. */
    public List<Field> of(EventType type) {
        List<Field> fields = new ArrayList<>();
        if (export.exports(type)) {
            schemas.document(type, Kind.TELEMETRY).ifPresent(schema -> collect(schema, "", fields));
        }
        return fields;
    }

    private static void collect(JsonNode schema, String prefix, List<Field> fields) {
        schema.path("properties").fields().forEachRemaining(property -> {
            String path = prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey();
            JsonNode field = property.getValue();
            if (field.has("properties")) {
                collect(field, path, fields);
            } else {
                fields.add(new Field(path, field.path("description").asText(), field.path("x-pseudonym").asBoolean()));
            }
        });
    }
}
