package io.tidings.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidings.it.support.FreePorts;
import io.tidings.it.support.ServiceProcess;
import io.tidings.it.support.Repository;

/**
 * The README's first command, word for word, in a copy of the project that has never been built
 * (the files git tracks or would add, nothing of {@code target/}), as a new user runs it after a
 * clone: the service must start on its embedded PostgreSQL, answer the quick start's calls as the
 * README writes them, and log no warning. Only the HTTP port differs, through the environment, so
 * that the test never meets a busy 8080.
 */
class ReadmeRunIT {

    private static final String RUN_MARK = "# 1. build and run the service";
    private static final String QUICK_START_MARK = "Then, in another terminal:";

    @Test
    void the_readme_run_command_starts_the_service_on_a_fresh_clone(@TempDir Path clone) throws Exception {
        String command = readmeRunCommand();
        copyTrackedFiles(Repository.root(), clone);
        int port = FreePorts.next();
        List<String> log;
        try (ServiceProcess service = ServiceProcess.run("readme-run", List.of("bash", "-c", command), clone,
                Map.of("QUARKUS_HTTP_PORT", String.valueOf(port)), port, Duration.ofMinutes(8))) {
            String quickStart = run(readmeQuickStart().replace("localhost:8080", "localhost:" + port), clone);
            assertThat(quickStart).contains("\"name\":\"Apollo\"").contains("\"type\":\"project:created\"");
            service.terminateTree(Duration.ofSeconds(60));
            log = service.logLines();
        }
        assertThat(log).anyMatch(line -> line.contains("started an embedded PostgreSQL"));
        assertThat(log).anyMatch(line -> line.contains("The delivery worker stopped"));
        assertThat(log).as("what a new user would have to wonder about")
                .noneMatch(line -> line.contains("WARN") || line.contains("ERROR") || line.toLowerCase().contains("docker"));
    }

    /** The command on the README line marked {@link #RUN_MARK}. */
    static String readmeRunCommand() throws IOException {
        return Files.readAllLines(Repository.file("README.md")).stream().filter(line -> line.contains(RUN_MARK))
                .map(line -> line.substring(0, line.indexOf('#')).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no line marked '" + RUN_MARK + "'"));
    }

    /** The calls the README makes "in another terminal", in the shell block that follows those words. */
    static String readmeQuickStart() throws IOException {
        String readme = Files.readString(Repository.file("README.md"));
        int start = readme.indexOf("```shell", readme.indexOf(QUICK_START_MARK));
        return readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 3));
    }

    private static String run(String script, Path directory) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("bash", "-ec", script).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes());
        assertThat(shell.waitFor(60, TimeUnit.SECONDS) && shell.exitValue() == 0).as(output).isTrue();
        return output;
    }

    static void copyTrackedFiles(Path from, Path to) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(from.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(git.getInputStream().readAllBytes());
        assertThat(git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0).as("git ls-files in " + from).isTrue();
        for (String file : listing.split("\0")) {
            Path source = from.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(source)) {
                continue; // deleted in the working tree
            }
            Path target = to.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
