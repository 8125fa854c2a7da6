package io.tidings.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.RepeatedTest;

import io.tidings.it.support.ServiceProcess;

/**
 * The README's run command as a new user meets it: no database configured, so the service starts
 * its embedded PostgreSQL. A stop (SIGTERM, as Ctrl+C or an orchestrator sends) must be quiet: the
 * JVM runs its shutdown hooks in parallel, and a database stopped before the worker made the
 * worker's last cycle fail with an ERROR. Repeated because that race did not lose every time.
 */
class DefaultRunIT {

    private static final Pattern EMBEDDED_PORT = Pattern.compile("started an embedded PostgreSQL at jdbc:postgresql://localhost:(\\d+)/");

    @RepeatedTest(3)
    void stops_the_application_before_its_embedded_database_and_logs_no_warning() {
        List<String> log;
        try (ServiceProcess service = ServiceProcess.startOnEmbeddedDatabase("default-run", Map.of())) {
            service.terminate(Duration.ofSeconds(30));
            log = service.logLines();
        }
        assertThat(log).anyMatch(line -> line.contains("The delivery worker stopped"));
        assertThat(log).noneMatch(line -> line.contains(" ERROR ") || line.contains(" WARN "));
        int port = embeddedPort(log);
        assertThatThrownBy(() -> connect(port)).as("the embedded PostgreSQL stops with the service")
                .isInstanceOf(IOException.class);
    }

    private static int embeddedPort(List<String> log) {
        for (String line : log) {
            Matcher matcher = EMBEDDED_PORT.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no embedded PostgreSQL in the log: " + log);
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
    }
}
