package io.tidings.it.example;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;

@QuarkusTest
class ExampleApiTest extends EmptyDatabaseTest {

    @Test
    void creating_a_project_records_project_created_with_the_project_payload() {
        String id = createProject("Apollo", "to the moon");

        JsonPath event = latestEvent();
        assertEvent(event, "project:created");
        Tenants.admin().when().get("/api/events").then()
                .body("items[0].payload.project.id", equalTo(id))
                .body("items[0].payload.project.name", equalTo("Apollo"))
                .body("items[0].payload.project.description", equalTo("to the moon"))
                .body("items[0].payload.project", not(hasKey("job")));
    }

    @Test
    void updating_a_project_records_the_new_state_and_keeps_absent_fields() {
        String id = createProject("Apollo", "to the moon");

        given().contentType(ContentType.JSON).body(Map.of("name", "Artemis"))
                .when().patch("/api/projects/" + id)
                .then().statusCode(200).body("name", equalTo("Artemis")).body("description", equalTo("to the moon"));

        Tenants.admin().when().get("/api/events").then()
                .body("items[0].type", equalTo("project:updated"))
                .body("items[0].payload.project.name", equalTo("Artemis"))
                .body("items[0].payload.project.description", equalTo("to the moon"))
                .body("items[1].payload.project.name", equalTo("Apollo"));
    }

    @Test
    void deleting_a_project_records_project_deleted_and_removes_it() {
        String id = createProject("Apollo", null);
        String job = createJob(id, "build");

        given().when().delete("/api/projects/" + id).then().statusCode(204);

        Tenants.admin().when().get("/api/events?limit=1").then()
                .body("items[0].type", equalTo("project:deleted"))
                .body("items[0].payload.project.id", equalTo(id));
        given().when().get("/api/projects/" + id).then().statusCode(404);
        given().when().get("/api/jobs/" + job).then().statusCode(404);
    }

    @Test
    void job_events_nest_the_job_inside_its_project() {
        String project = createProject("Apollo", "to the moon");
        String job = createJob(project, "build");

        Tenants.admin().when().get("/api/events?limit=1").then()
                .body("items[0].type", equalTo("project:job:created"))
                .body("items[0].payload.project.id", equalTo(project))
                .body("items[0].payload.project.name", equalTo("Apollo"))
                .body("items[0].payload.project.job.id", equalTo(job))
                .body("items[0].payload.project.job.name", equalTo("build"))
                .body("items[0].payload.project.job.status", equalTo("created"));

        changeStatus("/api/jobs/" + job, "started").statusCode(200).body("status", equalTo("started"));
        changeStatus("/api/jobs/" + job, "failed").statusCode(200);

        Tenants.admin().when().get("/api/events?type=project:job:*").then()
                .body("items.type", org.hamcrest.Matchers.contains("project:job:failed", "project:job:started",
                        "project:job:created"))
                .body("items[0].payload.project.job.status", equalTo("failed"));
    }

    @Test
    void pipeline_run_events_nest_three_layers_and_number_the_runs() {
        String project = createProject("Apollo", null);
        String job = createJob(project, "build");

        String first = given().contentType(ContentType.JSON).body(Map.of("stepsCount", 4))
                .when().post("/api/jobs/" + job + "/runs")
                .then().statusCode(201).body("number", equalTo(1)).body("stepsCount", equalTo(4))
                .extract().path("id");
        given().contentType(ContentType.JSON).when().post("/api/jobs/" + job + "/runs")
                .then().statusCode(201).body("number", equalTo(2)).body("stepsCount", equalTo(0));
        changeStatus("/api/runs/" + first, "started").statusCode(200);
        changeStatus("/api/runs/" + first, "succeeded").statusCode(200);

        Tenants.admin().when().get("/api/events?type=project:job:pipeline_run:succeeded").then()
                .body("items.size()", equalTo(1))
                .body("items[0].payload.project.id", equalTo(project))
                .body("items[0].payload.project.job.id", equalTo(job))
                .body("items[0].payload.project.job.pipeline_run.id", equalTo(first))
                .body("items[0].payload.project.job.pipeline_run.number", equalTo(1))
                .body("items[0].payload.project.job.pipeline_run.status", equalTo("succeeded"))
                .body("items[0].payload.project.job.pipeline_run.steps_count", equalTo(4));
        Tenants.admin().when().get("/api/events?type=project:job:pipeline_run:*").then().body("items.size()", equalTo(4));
    }

    @Test
    void a_missing_or_blank_name_is_a_400_naming_the_field() {
        given().contentType(ContentType.JSON).body(Map.of("description", "x"))
                .when().post("/api/projects")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("field", equalTo("name"))
                .body("violations.field", hasItem("name"));
        given().contentType(ContentType.JSON).body(Map.of("name", "  "))
                .when().post("/api/projects")
                .then().statusCode(400).body("field", equalTo("name"));
        given().contentType(ContentType.JSON).body("{\"name\": \"" + "x".repeat(201) + "\"}")
                .when().post("/api/projects")
                .then().statusCode(400).body("field", equalTo("name"));
        assertNoEvents();
    }

    @Test
    void a_nul_or_other_control_character_is_a_400_naming_the_field() {
        for (String value : new String[] { "\\u0000", "a\\u0000b", "\\u001b[31m", "\\u007f" }) {
            given().contentType(ContentType.JSON).body("{\"name\": \"P\", \"description\": \"" + value + "\"}")
                    .when().post("/api/projects")
                    .then().statusCode(400).contentType(ContentType.JSON).body("field", equalTo("description"))
                    .body("error", containsString("control characters"));
        }
        given().contentType(ContentType.JSON).body("{\"name\": \"tab\\tand\\nlines\"}")
                .when().post("/api/projects").then().statusCode(201);
    }

    @Test
    void a_malformed_or_missing_body_is_a_400_with_a_json_error() {
        given().contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/projects")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", containsString("not valid JSON"));
        given().contentType(ContentType.JSON)
                .when().post("/api/projects")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", notNullValue());
        given().contentType(ContentType.JSON).body("{\"stepsCount\": \"many\"}")
                .when().post("/api/jobs/" + UUID.randomUUID() + "/runs")
                .then().statusCode(400).body("field", equalTo("stepsCount"));
        assertNoEvents();
    }

    @Test
    void an_empty_update_is_a_400_and_unknown_ids_are_404() {
        String id = createProject("Apollo", null);
        given().contentType(ContentType.JSON).body("{}").when().patch("/api/projects/" + id)
                .then().statusCode(400).body("field", equalTo("name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().patch("/api/projects/" + UUID.randomUUID())
                .then().statusCode(404).body("error", containsString("No project"));
        given().when().delete("/api/projects/" + UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().post("/api/projects/" + UUID.randomUUID() + "/jobs")
                .then().statusCode(404);
        changeStatus("/api/jobs/" + UUID.randomUUID(), "started").statusCode(404);
        changeStatus("/api/runs/" + UUID.randomUUID(), "started").statusCode(404);
        given().contentType(ContentType.JSON).when().post("/api/jobs/" + UUID.randomUUID() + "/runs").then().statusCode(404);
        given().when().get("/api/projects/not-a-uuid").then().statusCode(404);
        assertThatOnlyEvent("project:created");
    }

    @Test
    void an_unknown_status_is_a_400_and_an_impossible_move_is_a_409() {
        String job = createJob(createProject("Apollo", null), "build");

        changeStatus("/api/jobs/" + job, "exploded").statusCode(400).body("field", equalTo("status"))
                .body("error", containsString("started|succeeded|failed|cancelled"));
        changeStatus("/api/jobs/" + job, "succeeded").statusCode(409).body("field", equalTo("status"))
                .body("error", containsString("is created and cannot become succeeded"));
        given().contentType(ContentType.JSON).body("{}").when().post("/api/jobs/" + job + "/status")
                .then().statusCode(400).body("field", equalTo("status"));

        Tenants.admin().when().get("/api/events?type=project:job:*").then().body("items.size()", equalTo(1));
    }

    private static String createProject(String name, String description) {
        Map<String, Object> body = description == null ? Map.of("name", name) : Map.of("name", name, "description", description);
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/projects")
                .then().statusCode(201).header("Location", containsString("/api/projects/"))
                .body("name", equalTo(name)).extract().path("id");
    }

    private static String createJob(String project, String name) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name))
                .when().post("/api/projects/" + project + "/jobs")
                .then().statusCode(201).body("projectId", equalTo(project)).body("status", equalTo("created"))
                .extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse changeStatus(String path, String status) {
        return given().contentType(ContentType.JSON).body(Map.of("status", status))
                .when().post(path + "/status").then();
    }

    private static JsonPath latestEvent() {
        return Tenants.admin().when().get("/api/events?limit=1").then().statusCode(200).extract().jsonPath();
    }

    private static void assertEvent(JsonPath page, String type) {
        org.assertj.core.api.Assertions.assertThat(page.getString("items[0].type")).isEqualTo(type);
        org.assertj.core.api.Assertions.assertThat(page.getString("items[0].id")).isNotBlank();
    }

    private void assertNoEvents() {
        org.assertj.core.api.Assertions.assertThat(db.count("SELECT count(*) FROM events")).isZero();
    }

    private void assertThatOnlyEvent(String type) {
        org.assertj.core.api.Assertions.assertThat(db.rows("SELECT type FROM events"))
                .extracting(row -> row.get("type")).containsExactly(type);
    }
}
