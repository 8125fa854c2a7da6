package io.tidings.it.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.analytics.internal.AnalyticsSubscriber;
import io.tidings.analytics.internal.EventSchemas;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.analytics.internal.Heartbeat;
import io.tidings.analytics.internal.HeartbeatEvent;
import io.tidings.it.example.TestEvents;
import io.tidings.outbox.Outbox;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.it.support.ReceiverTest;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;

/**
 * With telemetry on, one instance of the installation records installation:heartbeat once a UTC
 * day: yesterday's events per type, and the webhooks, streams and tenants, as powers of ten.
 */
@QuarkusTest
@TestProfile(AnalyticsTest.AnalyticsOn.class)
class HeartbeatTest extends ReceiverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Heartbeat heartbeat;
    @Inject
    Outbox outbox;
    @Inject
    EventSchemas schemas;
    @Inject
    EventTypeRegistry types;

    @BeforeEach
    void pointAnalyticsAtTheReceiver() {
        db.update("UPDATE subscribers SET enabled = true, target = jsonb_build_object('url', ?::text) WHERE id = ?",
                receiver.url("/batch"), AnalyticsSubscriber.ID);
        db.update("UPDATE installation SET heartbeat_day = NULL");
    }

    @Test
    void one_instance_records_yesterdays_counts_once_a_day_and_they_leave_as_telemetry() throws Exception {
        Tenants.Tenant acme = Tenants.create("Acme Secret Corp");
        db.webhook("https://hooks.acme.example/secret-path", true, "project:*");
        for (int i = 0; i < 12; i++) {
            QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(TestEvents.of("project:created", "Apollo")));
        }
        clock.advance(Duration.ofDays(1));

        List<CompletableFuture<Optional<UUID>>> instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            instances.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return heartbeat.beat();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(instances.stream().map(CompletableFuture::join).filter(Optional::isPresent)).as("instances that recorded it").hasSize(1);
        assertThat(heartbeat.beat()).as("later the same day").isEmpty();

        JsonNode capsule = awaitHeartbeats(1).get(0);
        JsonNode counts = capsule.path("properties");
        assertThat(counts.path("day").asText()).isEqualTo(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1).toString());
        assertThat(counts.path("events")).anySatisfy(type -> {
            assertThat(type.path("type").asText()).isEqualTo("project:created");
            assertThat(type.path("count").asText()).isEqualTo("10-99");
        });
        assertThat(counts.path("webhooks").asText()).isEqualTo("1-9");
        assertThat(counts.path("tenants").asText()).isEqualTo("1-9");
        assertThat(counts.path("streams").asText()).isEqualTo("0");
        JsonNode schema = schemas.document(types.require(HeartbeatEvent.TYPE), Kind.TELEMETRY).orElseThrow();
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(counts)).isEmpty();
        String sent = String.join("\n", receiver.requests("/batch").stream().map(WebhookReceiver.Request::body).toList());
        assertThat(sent).doesNotContain("Acme", "hooks.acme.example", "secret-path", acme.id().toString(), "Apollo");

        clock.advance(Duration.ofDays(1));
        assertThat(heartbeat.beat()).as("the next day").isPresent();
    }

    @Test
    void the_heartbeat_is_listed_on_the_collected_page() {
        assertThat(io.restassured.RestAssured.given().get("/collected").then().statusCode(200).extract().asString())
                .contains(HeartbeatEvent.TYPE);
    }

    private List<JsonNode> awaitHeartbeats(int count) {
        WebhookReceiver.await(() -> heartbeats().size() >= count, WAIT, () -> "requests: " + receiver.requests("/batch").size());
        return heartbeats();
    }

    private List<JsonNode> heartbeats() {
        List<JsonNode> found = new ArrayList<>();
        for (WebhookReceiver.Request request : receiver.requests("/batch")) {
            try {
                JSON.readTree(request.body()).path("batch").forEach(capsule -> {
                    if (capsule.path("event").asText().equals(HeartbeatEvent.TYPE)) {
                        found.add(capsule);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }
}
