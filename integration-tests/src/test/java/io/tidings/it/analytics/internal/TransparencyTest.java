package io.tidings.it.analytics.internal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.analytics.internal.AnalyticsSubscriber;
import io.tidings.analytics.internal.AnalyticsSubscriberSync;
import io.tidings.it.support.Tenants;

/** With the default configuration: analytics off, and everyone can see what would be collected. */
@QuarkusTest
class TransparencyTest {

    @jakarta.inject.Inject
    AnalyticsSubscriberSync sync;
    @jakarta.inject.Inject
    io.tidings.it.TestDatabase db;

    @Test
    void without_configuration_the_analytics_subscriber_is_switched_off_at_start() {
        db.setAnalyticsEnabled(true);

        sync.onStart(null);

        org.assertj.core.api.Assertions.assertThat(db.value("SELECT enabled FROM subscribers WHERE id = ?", AnalyticsSubscriber.ID))
                .isEqualTo(false);
        org.assertj.core.api.Assertions.assertThat((String) db.value("SELECT disabled_reason FROM subscribers WHERE id = ?",
                AnalyticsSubscriber.ID)).contains("tidings.analytics.enabled");
    }

    @Test
    void the_catalog_lists_exactly_which_telemetry_fields_leave() {
        var types = Tenants.create("Acme").given().when().get("/api/event-types").then().statusCode(200);
        types.body("find { it.name == 'project:created' }.telemetry.path", org.hamcrest.Matchers.contains("project.id"))
                .body("find { it.name == 'project:created' }.telemetry[0].pseudonymized", equalTo(true))
                .body("find { it.name == 'project:job:pipeline_run:failed' }.telemetry.path",
                        org.hamcrest.Matchers.containsInAnyOrder("project.id", "project.job.id", "project.job.status",
                                "project.job.pipeline_run.id", "project.job.pipeline_run.number",
                                "project.job.pipeline_run.status", "project.job.pipeline_run.steps_count"))
                .body("find { it.name == 'webhook:test' }.telemetry", hasSize(0))
                .body("find { it.name == 'client:screen_viewed' }.clientAllowed", equalTo(true));
    }

    @Test
    void the_collected_page_says_analytics_is_off_and_what_would_leave() {
        given().when().get("/collected").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("Analytics is <strong>off</strong>"))
                .body(containsString("Nothing is sent anywhere"))
                .body(containsString("<a href=\"/tidings.js\">tidings.js</a>"))
                .body(containsString("It sends nothing until you agree (consent is required)"))
                .body(containsString("tidings.analytics.enabled=false"))
                .body(containsString("project.job.pipeline_run.steps_count"))
                .body(containsString("How many steps the run has."))
                .body(not(containsString("project.name")))
                .body(not(containsString("webhook:test")));
    }
}
