package io.tidings.it.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.ToolProvider;

/**
 * Compiles and runs the benchmark's peer ({@code src/bench/gruelbox/GruelboxPeer.java}) in a JVM of
 * its own, on the class path the bench profile copies to {@code target/bench/gruelbox-lib}, and
 * returns the figures it prints.
 */
final class GruelboxPeerProcess {

    private static final Path SOURCE = Path.of("src", "bench", "gruelbox", "GruelboxPeer.java");
    private static final Path LIB = Path.of("target", "bench", "gruelbox-lib");
    private static final Path CLASSES = Path.of("target", "bench", "gruelbox-classes");

    private GruelboxPeerProcess() {
    }

    static boolean available() {
        return Files.isDirectory(LIB);
    }

    /** Runs the peer with these arguments (see its javadoc); @return its {@code name = value} lines */
    static Map<String, String> run(String name, List<String> arguments) throws IOException, InterruptedException {
        String classPath = classPath();
        compile(classPath);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classPath, "GruelboxPeer"));
        command.addAll(arguments);
        Path log = Path.of("target", "it-logs", name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the gruelbox peer failed; see " + log.toAbsolutePath());
        }
        Map<String, String> figures = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" = ", 2);
            if (parts.length == 2) {
                figures.put(parts[0], parts[1]);
            }
        }
        return figures;
    }

    /**
     * Starts the peer in its {@code rounds} mode: each {@link Rounds#record} is one round of its
     * recording, run when Tidings' rounds are not, so that both meet the same noise.
     */
    static Rounds rounds(String name, String jdbcUrl, String receiver) throws IOException {
        String classPath = classPath();
        compile(classPath);
        Path log = Path.of("target", "it-logs", name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classPath, "GruelboxPeer", jdbcUrl, receiver, "rounds").redirectError(log.toFile()).start();
        return new Rounds(process, log);
    }

    /** The peer in its rounds mode. */
    static final class Rounds implements AutoCloseable {

        private final Process process;
        private final Path log;
        private final BufferedReader output;
        private final Writer input;

        private Rounds(Process process, Path log) {
            this.process = process;
            this.log = log;
            this.output = process.inputReader(StandardCharsets.UTF_8);
            this.input = process.outputWriter(StandardCharsets.UTF_8);
        }

        /** One round of {@code events} events in transactions of {@code perTransaction}, on four threads. @return events per second */
        double record(int events, int perTransaction) throws IOException {
            input.write("record " + events + " " + perTransaction + "\n");
            input.flush();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("round_events_per_s = ")) {
                    return Double.parseDouble(line.substring("round_events_per_s = ".length()));
                }
            }
            throw new IllegalStateException("the gruelbox peer stopped; see " + log.toAbsolutePath());
        }

        @Override
        public void close() throws IOException, InterruptedException {
            input.close();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
    }

    // Jars named one by one: the compiler API does not expand "lib/*" as the launchers do.
    private static String classPath() throws IOException {
        try (Stream<Path> jars = Files.list(LIB)) {
            return Stream.concat(Stream.of(CLASSES), jars.sorted()).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        }
    }

    private static void compile(String classPath) throws IOException {
        Files.createDirectories(CLASSES);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", CLASSES.toString(), "-cp", classPath, SOURCE.toString());
        if (status != 0) {
            throw new IllegalStateException("the gruelbox peer did not compile");
        }
    }
}
