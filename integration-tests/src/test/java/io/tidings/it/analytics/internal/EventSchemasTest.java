package io.tidings.it.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.analytics.internal.EventSchemas;
import io.tidings.analytics.internal.SchemaRules;
import io.tidings.it.example.TestEvents;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;

@QuarkusTest
class EventSchemasTest extends EmptyDatabaseTest {

    @Inject
    EventTypeRegistry types;
    @Inject
    EventSchemas schemas;
    @Inject
    Outbox outbox;

    @Test
    void every_type_keeps_the_schema_rules_the_build_checks() {
        assertThat(types.all()).isNotEmpty();
        // the one type declared breaking (@Emits(breaking = true)), which the build knows and the registry does not
        assertThat(SchemaRules.problems(types.all(), Set.of("project:renamed"))).isEmpty();
    }

    @Test
    void no_telemetry_schema_has_a_personal_field() {
        for (EventType type : types.all()) {
            schemas.document(type, Kind.TELEMETRY).ifPresent(schema ->
                    assertThat(schema.toString()).as(type.name()).doesNotContain("x-pii"));
            schemas.document(type, Kind.NOTIFICATION).ifPresent(schema -> {
                if (type.name().startsWith("project:")) { // the project's name is personal wherever it appears
                    assertThat(schema.at("/properties/project/properties/name/x-pii").asBoolean()).as(type.name()).isTrue();
                }
            });
        }
    }

    @Test
    void a_payload_that_does_not_match_its_schema_is_refused_before_anything_is_written() {
        db.webhook(true, "*");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(List.of(
                TestEvents.of("project:created", "fine"), TestEvents.mismatched()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notification payload of project:created v1")
                .hasMessageContaining("$.project")
                .hasMessageContaining("job");

        assertThat(db.count("SELECT count(*) FROM events")).isZero();
    }

    @Test
    void a_field_outside_its_shared_layer_is_refused() throws Exception {
        EventType created = types.require("project:created");
        JsonNode payload = new ObjectMapper().readTree(TestEvents.of("project:created", "fine").toNotificationPayload().toString());
        ((ObjectNode) payload.path("project")).put("owner_email", "ada@example.com");

        assertThatThrownBy(() -> schemas.checkNotification(created, (ObjectNode) payload))
                .hasMessageContaining("owner_email");
    }

    @Test
    void telemetry_identifiers_are_stable_pseudonyms_never_the_raw_id() throws Exception {
        db.setAnalyticsEnabled(true);
        var event = TestEvents.of("project:job:pipeline_run:failed", "Apollo");
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(event));

        String notification = event.toNotificationPayload().toString();
        JsonNode raw = new ObjectMapper().readTree(notification);
        String telemetry = (String) db.value("SELECT payload::text FROM deliveries");
        JsonNode sent = new ObjectMapper().readTree(telemetry);

        for (String path : List.of("/project/id", "/project/job/id", "/project/job/pipeline_run/id")) {
            String id = raw.at(path).asText();
            assertThat(sent.at(path).asText()).matches("[0-9a-f]{64}").isEqualTo(schemas.pseudonym(id));
            assertThat(telemetry).doesNotContain(id);
        }
        assertThat(telemetry).doesNotContain("Apollo", "build", "to the moon");
        assertThat(sent.at("/project/job/pipeline_run/steps_count").asInt()).isEqualTo(3);
    }
}
