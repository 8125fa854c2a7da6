package com.example.shop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tidings.testing.CollectedMessages;
import io.tidings.testing.RecordedEvents;
import io.tidings.testing.RecordedEvents.Recorded;

/**
 * The shop's own assertions with tidings-test, as a host application writes them: what a request
 * recorded, and what a subscriber was sent, through the worker and the routing, with no HTTP receiver.
 */
@QuarkusTest
@QuarkusTestResource(ShopDatabase.class)
class ShopEventsTest {

    @Inject
    RecordedEvents events;
    @Inject
    CollectedMessages collected;

    @Test
    void placing_an_order_records_order_placed_and_a_subscriber_receives_it() throws Exception {
        String tenant = admin().body(Map.of("name", "Globex")).when().post("/api/tenants").then().statusCode(201).extract().path("id");
        String sink = admin().body(Map.of("name", "collector", "kind", CollectedMessages.KIND, "target", Map.of(),
                "eventTypes", List.of("order:*"))).when().post("/api/sinks").then().statusCode(201).extract().path("id");

        List<Recorded> recorded = events.during(() -> given().auth().oauth2("shop-session-token").queryParam("tenant", tenant)
                .queryParam("total", "7.25").when().post("/shop/orders").then().statusCode(201));

        assertThat(recorded).extracting(Recorded::type).containsExactly("order:placed");
        assertThat(recorded.get(0).tenantId()).isEqualTo(UUID.fromString(tenant));
        assertThat(recorded.get(0).payload().path("order").path("total").asText()).isEqualTo("7.25");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (collected.all().stream().noneMatch(message -> message.eventId().equals(recorded.get(0).id()))) {
            assertThat(System.nanoTime()).as("the collector received the order within 20 s").isLessThan(until);
            Thread.sleep(50);
        }
        CollectedMessages.Message message = collected.all().stream()
                .filter(received -> received.eventId().equals(recorded.get(0).id())).findFirst().orElseThrow();
        assertThat(message.subscriberId()).isEqualTo(UUID.fromString(sink));
        assertThat(message.payload()).isEqualTo(recorded.get(0).payload());
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(ConfigProvider.getConfig().getValue("tidings.api.admin-key", String.class))
                .contentType(ContentType.JSON);
    }
}
