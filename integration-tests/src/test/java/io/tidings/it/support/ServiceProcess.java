package io.tidings.it.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as a child process, so
 * that a test can kill it as an operator or a crash would. Its output goes to
 * {@code target/it-logs/<name>.log}, afresh at every start.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("tidings.it.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    // Instances on one database share it, as production instances share theirs.
    private static final String TEST_SECRETS_KEY = "dGlkaW5ncy10ZXN0LXNlY3JldHMta2V5LTMyYnl0ZXM=";

    private final String name;
    private final Process process;
    private final int port;

    private ServiceProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** Starts the service on {@code jdbcUrl} with these {@code tidings.*} settings and waits until it is ready. */
    public static ServiceProcess start(String name, String jdbcUrl, Map<String, String> config) {
        return start(name, List.of("-Dquarkus.datasource.jdbc.url=" + jdbcUrl, "-Dquarkus.datasource.username=postgres",
                "-Dtidings.secrets.key=" + TEST_SECRETS_KEY), config);
    }

    /** Starts the service as a new user does, with no database configured: it starts its embedded PostgreSQL. */
    public static ServiceProcess startOnEmbeddedDatabase(String name, Map<String, String> config) {
        return start(name, List.of(), config);
    }

    private static ServiceProcess start(String name, List<String> database, Map<String, String> config) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after the package phase (./mvnw verify)");
        }
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx256m", "-Dquarkus.http.port=" + port,
                // the tests' receivers listen on 127.0.0.1 over plain http
                "-Dtidings.webhooks.allow-http=true",
                "-Dtidings.webhooks.allow-private-targets=true"));
        command.addAll(database);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        // Extra JVM options for the child, such as a JFR recording: -Dtidings.it.jvm-args="..."
        String extra = System.getProperty("tidings.it.jvm-args", "").replace("{name}", name);
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", JAR.toString()));
        return launch(name, new ProcessBuilder(command), port, Duration.ofSeconds(60));
    }

    /**
     * Runs any command that starts the service on {@code port} (such as the README's Maven command, in
     * {@code directory}) and waits until the service is ready.
     */
    public static ServiceProcess run(String name, List<String> command, Path directory, Map<String, String> environment,
            int port, Duration readyWithin) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        return launch(name, builder, port, readyWithin);
    }

    private static ServiceProcess launch(String name, ProcessBuilder builder, int port, Duration readyWithin) {
        try {
            Path log = log(name);
            Files.createDirectories(log.getParent());
            Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            ServiceProcess service = new ServiceProcess(name, process, port);
            service.awaitReady(readyWithin);
            return service;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The child's output so far. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CPU time the child has used so far, on all its threads. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** POSTs JSON and returns the response body. */
    public String post(String path, String json) {
        return send("POST", path, json);
    }

    public String patch(String path, String json) {
        return send("PATCH", path, json);
    }

    private String send(String method, String path, String json) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(name + ": " + method + " " + path + " answered " + response.statusCode() + " "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP status of a GET, or -1 when the service does not answer. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, as an orchestrator stops a pod; waits for the process to exit. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGTERM to the process's descendants first (a build tool's child JVM, say), then to the process. */
    public int terminateTree(Duration timeout) {
        process.descendants().forEach(ProcessHandle::destroy);
        return terminate(timeout);
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; the end of target/it-logs/"
                        + name + ".log:\n" + logTail(40));
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see target/it-logs/" + name + ".log");
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    // CI keeps the test report, not the child's log: the reason a start failed must be in the message.
    private String logTail(int count) {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static Path log(String name) {
        return Path.of("target", "it-logs", name + ".log");
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** A port nothing listens on now. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
