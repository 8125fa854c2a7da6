package io.tidings.analytics.internal;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.tidings.delivery.ClaimedDelivery;

/**
 * The body of one telemetry request. Each event becomes a capsule whose {@code insert_id} is the
 * delivery id, the same on every retry, so the backend can drop what it already has.
 */
final class TelemetryBatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a capsule says about its payload's schema. */
    record Schema(String id, int version) {
    }

    private TelemetryBatch() {
    }

    /** {@code {"batch": [{"event", "insert_id", "timestamp", "schema", "schema_version", "instance_id", "properties"}]}} */
    static String tidings(List<ClaimedDelivery> deliveries, List<Schema> schemas, UUID instance) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode batch = body.putArray("batch");
        for (int i = 0; i < deliveries.size(); i++) {
            batch.add(capsule(deliveries.get(i), schemas.get(i), instance));
        }
        return body.toString();
    }

    static ObjectNode capsule(ClaimedDelivery delivery, Schema schema, UUID instance) {
        ObjectNode capsule = JSON.createObjectNode()
                .put("event", delivery.eventType())
                .put("insert_id", delivery.id().toString())
                .put("timestamp", delivery.occurredAt().toString())
                .put("schema", schema.id())
                .put("schema_version", schema.version())
                .put("instance_id", instance.toString());
        capsule.putRawValue("properties", new RawValue(delivery.payload()));
        return capsule;
    }

    /**
     * PostHog's batch capture: {@code uuid} deduplicates retries, the installation is the
     * {@code distinct_id}, and the capsule's fields join the payload in {@code properties}.
     */
    static String posthog(List<ClaimedDelivery> deliveries, List<Schema> schemas, UUID instance, String apiKey) {
        ObjectNode body = JSON.createObjectNode().put("api_key", apiKey);
        ArrayNode batch = body.putArray("batch");
        for (int i = 0; i < deliveries.size(); i++) {
            ClaimedDelivery delivery = deliveries.get(i);
            ObjectNode properties = (ObjectNode) read(delivery.payload());
            properties.put("distinct_id", instance.toString())
                    .put("instance_id", instance.toString())
                    .put("schema", schemas.get(i).id())
                    .put("schema_version", schemas.get(i).version())
                    .put("$lib", "tidings");
            batch.addObject()
                    .put("event", delivery.eventType())
                    .put("uuid", delivery.id().toString())
                    .put("timestamp", delivery.occurredAt().toString())
                    .set("properties", properties);
        }
        return body.toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A stored telemetry payload is not JSON", e);
        }
    }
}
