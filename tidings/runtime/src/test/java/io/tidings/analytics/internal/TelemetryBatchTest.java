package io.tidings.analytics.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.delivery.ClaimedDelivery;
import io.tidings.outbox.internal.EventType;

class TelemetryBatchTest {

    private static final UUID INSTANCE = UUID.fromString("0190aaaa-0000-7000-8000-000000000001");
    private final ClaimedDelivery delivery = new ClaimedDelivery(UUID.fromString("0190aaaa-0000-7000-8000-0000000000d1"),
            UUID.randomUUID(), UUID.randomUUID(), "analytics",
            JsonNodeFactory.instance.objectNode().put("url", "https://analytics.example/batch"), "project:created",
            Instant.parse("2026-11-23T10:00:00Z"), 1, "{\"project\":{\"id\":\"abc\"}}", List.of(), Instant.now());
    private final List<TelemetryBatch.Schema> schemas = List.of(new TelemetryBatch.Schema("https://schemas.tidings.io/x", 1));

    @Test
    void the_tidings_format_is_a_batch_of_capsules() throws Exception {
        JsonNode capsule = new ObjectMapper().readTree(TelemetryBatch.tidings(List.of(delivery), schemas, INSTANCE))
                .path("batch").get(0);

        assertThat(capsule.path("event").asText()).isEqualTo("project:created");
        assertThat(capsule.path("insert_id").asText()).isEqualTo(delivery.id().toString());
        assertThat(capsule.path("timestamp").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(capsule.path("schema").asText()).isEqualTo("https://schemas.tidings.io/x");
        assertThat(capsule.path("schema_version").asInt()).isEqualTo(1);
        assertThat(capsule.path("instance_id").asText()).isEqualTo(INSTANCE.toString());
        assertThat(capsule.at("/properties/project/id").asText()).isEqualTo("abc");
    }

    // PostHog's batch endpoint: {"api_key", "batch": [{"event", "properties": {"distinct_id", ...}, "timestamp", "uuid"}]}
    @Test
    void the_posthog_format_matches_their_batch_capture_request() throws Exception {
        JsonNode body = new ObjectMapper().readTree(TelemetryBatch.posthog(List.of(delivery), schemas, INSTANCE, "phc_key"));
        JsonNode event = body.path("batch").get(0);

        assertThat(body.path("api_key").asText()).isEqualTo("phc_key");
        assertThat(event.path("event").asText()).isEqualTo("project:created");
        assertThat(event.path("uuid").asText()).isEqualTo(delivery.id().toString());
        assertThat(event.path("timestamp").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(event.at("/properties/distinct_id").asText()).isEqualTo(INSTANCE.toString());
        assertThat(event.at("/properties/project/id").asText()).isEqualTo("abc");
        assertThat(event.at("/properties/schema_version").asInt()).isEqualTo(1);
    }

    @Test
    void allowed_types_narrow_the_telemetry_allowed_ones() {
        TelemetryExport narrowed = new TelemetryExport(config(Optional.of(List.of("project:job:*"))));
        TelemetryExport everything = new TelemetryExport(config(Optional.empty()));
        EventType job = new EventType("project:job:failed", "", 1, true);
        EventType project = new EventType("project:created", "", 1, true);
        EventType internal = new EventType("webhook:test", "", 1, false);

        assertThat(narrowed.exports(job)).isTrue();
        assertThat(narrowed.exports(project)).isFalse();
        assertThat(everything.exports(project)).isTrue();
        assertThat(everything.exports(internal)).isFalse();
    }

    private static AnalyticsConfig config(Optional<List<String>> allowed) {
        return new AnalyticsConfig() {
            public boolean enabled() {
                return true;
            }

            public Optional<java.net.URI> endpoint() {
                return Optional.empty();
            }

            public Optional<String> apiKey() {
                return Optional.empty();
            }

            public Format format() {
                return Format.TIDINGS;
            }

            public int batchSize() {
                return 500;
            }

            public boolean consentRequired() {
                return true;
            }

            public boolean honorDoNotTrack() {
                return true;
            }

            public Optional<List<String>> allowedTypes() {
                return allowed;
            }

            public Optional<String> pseudonymKey() {
                return Optional.empty();
            }

            public Optional<List<String>> privateMetadataTypes() {
                return Optional.empty();
            }

            public int relayPerMinute() {
                return 60;
            }

            public Optional<List<String>> relayOrigins() {
                return Optional.empty();
            }

            public Optional<java.nio.file.Path> pseudonymKeyFile() {
                return Optional.empty();
            }
        };
    }

}
