package io.tidings.it.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tidings.it.example.TestEvents;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.outbox.Outbox;

@QuarkusTest
class EventResourceTest extends EmptyDatabaseTest {

    @Inject
    Outbox outbox;

    @Test
    void pages_walk_every_event_newest_first_without_gaps_or_repeats() {
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "Project " + i;
            recorded.add(0, QuarkusTransaction.requiringNew()
                    .call(() -> outbox.registerEvent(OutboxTest.projectEvent("project:created", name))).getId().toString());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = Tenants.admin().queryParam("limit", 3).queryParam("after", cursor == null ? "" : cursor)
                    .when().get("/api/events").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(recorded);
    }

    @Test
    void type_filters_by_exact_type_or_by_prefix() {
        QuarkusTransaction.requiringNew().run(() -> outbox.registerEvents(List.of(
                TestEvents.of("project:created", "a"),
                TestEvents.of("project:job:failed", "b"),
                TestEvents.of("project:job:pipeline_run:failed", "c"))));

        Tenants.admin().when().get("/api/events?type=project:job:failed").then()
                .body("items.type", contains("project:job:failed")).body("next", nullValue());
        Tenants.admin().when().get("/api/events?type=project:job:*").then().body("items.size()", equalTo(2));
        Tenants.admin().when().get("/api/events?type=*").then().body("items.size()", equalTo(3));
        Tenants.admin().when().get("/api/events?type=project:deleted").then().body("items.size()", equalTo(0));
    }

    @Test
    void bad_parameters_are_a_400_naming_the_parameter() {
        Tenants.admin().when().get("/api/events?type=PROJECT!").then().statusCode(400).body("field", equalTo("type"));
        Tenants.admin().when().get("/api/events?after=yesterday").then().statusCode(400).body("field", equalTo("after"));
        Tenants.admin().when().get("/api/events?limit=0").then().statusCode(400).body("field", equalTo("limit"));
        Tenants.admin().when().get("/api/events?limit=501").then().statusCode(400).body("field", equalTo("limit"));
    }
}
