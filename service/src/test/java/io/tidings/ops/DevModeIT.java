package io.tidings.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidings.it.support.DevUi;
import io.tidings.it.support.Repository;
import io.tidings.it.support.FreePorts;
import io.tidings.it.support.ServiceProcess;

/**
 * The README's dev-mode command, word for word, in a copy of the project that has never been
 * built: Quarkus dev mode resolves what it adds for development (Qute's template debugger, whose
 * platform version Maven Central as a fresh machine reaches did not serve) and the service
 * answers, and Tidings' Dev UI card reads the outbox. Only the HTTP port differs, through the
 * environment.
 */
class DevModeIT {

    private static final Pattern DEV_COMMAND = Pattern.compile("`(\\./mvnw quarkus:dev[^`]*)` runs it in Quarkus dev mode");

    @Test
    void the_readme_dev_mode_command_starts_the_service(@TempDir Path clone) throws Exception {
        ReadmeRunIT.copyTrackedFiles(Repository.root(), clone);
        int port = FreePorts.next();
        try (ServiceProcess service = ServiceProcess.run("dev-mode", List.of("bash", "-c", readmeDevCommand()),
                clone, Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)), port, Duration.ofMinutes(8))) {
            given().port(port).when().get("/q/health/ready").then().statusCode(200);
            assertThat(service.logLines()).anyMatch(line -> line.contains("Profile dev activated"));
            assertThat(DevUi.call(port, "quarkus-tidings_pendingLabel")).as("the Tidings card's label")
                    .containsPattern("\"object\"\\s*:\\s*\"[0-9]+ pending\"");
            assertThat(DevUi.call(port, "quarkus-tidings_outbox")).as("the Tidings card's outbox page")
                    .containsPattern("\"result\"\\s*:").doesNotContain("\"error\"");
            service.terminateTree(Duration.ofSeconds(60));
        }
    }

    private static String readmeDevCommand() throws IOException {
        Matcher command = DEV_COMMAND.matcher(Files.readString(Repository.file("README.md")));
        assertThat(command.find()).as("README.md names a dev-mode command").isTrue();
        return command.group(1);
    }
}
