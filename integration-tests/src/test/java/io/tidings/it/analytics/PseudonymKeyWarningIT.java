package io.tidings.it.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidings.it.support.ItDatabase;
import io.tidings.it.support.ServiceProcess;

/** A production start with telemetry on says when the pseudonym key sits beside the ids it hides, and not otherwise. */
class PseudonymKeyWarningIT {

    private static final String WARNING = "pseudonym key is stored in the database";
    private static final Map<String, String> TELEMETRY = Map.of("tidings.analytics.enabled", "true",
            "tidings.analytics.endpoint", "http://127.0.0.1:9/batch");

    @Test
    void the_start_warns_only_while_the_key_is_kept_in_the_database(@TempDir Path directory) throws Exception {
        Path keyFile = directory.resolve("pseudonym-key");
        Files.writeString(keyFile, "a-key-kept-apart-from-the-database");
        try (ItDatabase database = ItDatabase.start()) {
            assertThat(startAndReadLog(database, "pseudonym-in-db", TELEMETRY)).anyMatch(line -> line.contains(WARNING));
            Map<String, String> apart = new java.util.HashMap<>(TELEMETRY);
            apart.put("tidings.analytics.pseudonym-key-file", keyFile.toString());
            assertThat(startAndReadLog(database, "pseudonym-in-file", apart)).noneMatch(line -> line.contains(WARNING));
        }
    }

    private static List<String> startAndReadLog(ItDatabase database, String name, Map<String, String> config) {
        try (ServiceProcess service = ServiceProcess.start(name, database.jdbcUrl(), config)) {
            service.terminate(Duration.ofSeconds(30));
            return service.logLines();
        }
    }
}
