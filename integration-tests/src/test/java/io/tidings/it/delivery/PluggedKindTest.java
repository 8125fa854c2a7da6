package io.tidings.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.example.Project;
import io.tidings.example.ProjectEvent;
import io.tidings.it.support.CollectingSender;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants.Tenant;
import io.tidings.it.support.Tenants;
import io.tidings.it.support.WebhookReceiver;
import io.tidings.outbox.Outbox;

/** A subscriber kind added without a line of src/main: a sender bean, and subscribers of its kind with their settings. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
class PluggedKindTest extends EmptyDatabaseTest {

    @Inject
    Outbox outbox;
    @Inject
    CollectingSender sender;

    @Test
    void a_kind_from_the_test_sources_receives_its_deliveries_with_its_own_settings() {
        Tenant acme = Tenants.create("Acme");
        UUID subscriber = collecting(acme, "b-1");
        recordProject(acme);

        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'delivered'",
                subscriber) == 1, Duration.ofSeconds(20), () -> "not delivered");
        ClaimedDelivery received = sender.received().stream().filter(d -> d.subscriberId().equals(subscriber)).findFirst().orElseThrow();
        assertThat(received.target().path("bucket").asText()).isEqualTo("b-1");
        assertThat(received.payload()).contains("Apollo");
        assertThat(db.value("SELECT response_excerpt FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                + "WHERE d.subscriber_id = ?", subscriber)).isEqualTo("filed in b-1");
        acme.given().when().get("/api/webhooks").then().statusCode(200); // listing a tenant's webhooks skips other kinds
    }

    @Test
    void a_kind_whose_attempts_take_long_is_leased_for_longer_than_the_configured_lease() {
        Tenant acme = Tenants.create("Acme");
        UUID subscriber = collecting(acme, "held");
        recordProject(acme);
        WebhookReceiver.await(() -> sender.received().stream().anyMatch(d -> d.subscriberId().equals(subscriber)),
                Duration.ofSeconds(20), () -> "not sent");

        // tidings.worker.lease is 60s here; one attempt of this kind can take 100s, so it is leased for 150s
        long leftMs = db.count("SELECT (extract(epoch FROM lease_expires_at - clock_timestamp()) * 1000)::bigint "
                + "FROM deliveries WHERE subscriber_id = ? AND status = 'in_flight'", subscriber);
        assertThat(Duration.ofMillis(leftMs)).isGreaterThan(Duration.ofSeconds(120))
                .isLessThanOrEqualTo(CollectingSender.LONGEST_ATTEMPT.multipliedBy(3).dividedBy(2));

        sender.answerHeld();
        WebhookReceiver.await(() -> db.count("SELECT count(*) FROM deliveries WHERE subscriber_id = ? AND status = 'delivered'",
                subscriber) == 1, Duration.ofSeconds(20), () -> "not delivered once answered");
    }

    /** A subscriber of the collecting kind, of the tenant's project events, filing them under {@code bucket}. */
    private UUID collecting(Tenant tenant, String bucket) {
        UUID subscriber = UUID.randomUUID();
        db.update("INSERT INTO subscribers (id, kind, tenant_id, target) VALUES (?, ?, ?, jsonb_build_object('bucket', ?::text))",
                subscriber, CollectingSender.KIND, tenant.id(), bucket);
        db.update("INSERT INTO subscriptions (subscriber_id, pattern) VALUES (?, 'project:*')", subscriber);
        return subscriber;
    }

    private void recordProject(Tenant tenant) {
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvent(
                new ProjectEvent("project:created", Project.create(tenant.id(), "Apollo", null, Instant.now()))));
    }
}
