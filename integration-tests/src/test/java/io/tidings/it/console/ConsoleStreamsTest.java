package io.tidings.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tidings.it.support.CollectingStream;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;

/** Streams on the operator's outbox page: where each is, which is behind, and starting one again. */
@QuarkusTest
class ConsoleStreamsTest extends EmptyDatabaseTest {

    private ConsoleClient admin;

    @BeforeEach
    void signIn() {
        admin = ConsoleClient.signIn(Tenants.adminKey());
    }

    @Test
    void the_outbox_lists_every_stream_and_marks_the_one_behind() {
        assertThat(admin.get("/console/outbox").asString()).contains("No streams.");

        UUID stream = createStream("orders-log");
        String page = admin.get("/console/outbox").asString();
        assertThat(page).contains("orders-log").contains(CollectingStream.KIND).contains("<td>none</td>")
                .contains("action=\"/console/streams/" + stream + "/position\"").doesNotContain(">behind</strong>");

        db.update("UPDATE stream_cursors SET behind_since = now()");
        assertThat(admin.get("/console/outbox").asString()).contains("<strong class=\"bad\">behind</strong> since");
    }

    @Test
    void the_admin_starts_a_stream_again_with_the_session_s_token_and_a_forged_form_changes_nothing() {
        UUID stream = createStream("orders-log");
        db.update("UPDATE stream_cursors SET behind_since = now()");
        long fence = fence(stream);
        admin.get("/console/outbox");

        assertThat(admin.postWithoutToken(position(stream), Map.of("start", "beginning")).statusCode()).isEqualTo(403);
        assertThat(admin.request().formParam("csrf", "guessed").formParam("start", "now").post(position(stream)).statusCode())
                .isEqualTo(403);
        assertThat(fence(stream)).isEqualTo(fence);
        assertThat(db.count("SELECT count(*) FROM stream_cursors WHERE behind_since IS NOT NULL")).isEqualTo(1);

        Response done = admin.post(position(stream), Map.of("start", "beginning"));
        assertThat(done.statusCode()).as(done.asString()).isEqualTo(303);
        assertThat(done.header("Location")).endsWith("/console/outbox?notice=repositioned");
        assertThat(fence(stream)).isEqualTo(fence + 1);
        assertThat(db.count("SELECT count(*) FROM stream_cursors WHERE behind_since IS NOT NULL")).isZero();
        assertThat(admin.get("/console/outbox?notice=repositioned").asString()).contains("The stream reads again from")
                .doesNotContain(">behind</strong>");
    }

    @Test
    void the_console_refuses_a_bad_start_with_the_api_s_words() {
        UUID stream = createStream("orders-log");
        long fence = fence(stream);
        admin.get("/console/outbox");

        Response refused = admin.post(position(stream), Map.of("start", "yesterday"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("role=\"alert\"")
                .contains("start must be now, beginning or a time such as 2026-01-31T12:00:00Z").contains("orders-log");
        assertThat(admin.post(position(stream), Map.of("start", " ")).statusCode()).isEqualTo(400);
        assertThat(fence(stream)).isEqualTo(fence);

        Response unknown = admin.post(position(UUID.randomUUID()), Map.of("start", "now"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.asString()).contains("role=\"alert\"");
    }

    @Test
    void a_tenant_neither_sees_nor_moves_a_stream() {
        UUID stream = createStream("orders-log");
        long fence = fence(stream);
        ConsoleClient tenant = ConsoleClient.signIn(Tenants.create("acme").key());
        tenant.get("/console/webhooks");

        assertThat(tenant.get("/console/outbox").statusCode()).isEqualTo(403);
        Response refused = tenant.post(position(stream), Map.of("start", "beginning"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.asString()).doesNotContain("orders-log");
        assertThat(fence(stream)).isEqualTo(fence);
    }

    private static UUID createStream(String name) {
        return UUID.fromString(Tenants.admin().body(Map.of("name", name, "kind", CollectingStream.KIND, "target", Map.of(),
                "eventTypes", List.of("project:*"))).post("/api/sinks").then().statusCode(201)
                .body("shape", equalTo("stream")).extract().path("id"));
    }

    private long fence(UUID stream) {
        return db.count("SELECT fence FROM stream_cursors WHERE subscriber_id = ?", stream);
    }

    private static String position(UUID stream) {
        return "/console/streams/" + stream + "/position";
    }
}
