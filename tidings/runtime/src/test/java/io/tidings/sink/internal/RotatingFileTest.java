package io.tidings.sink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {

    @TempDir
    Path directory;

    @Test
    void a_file_left_by_a_dead_writer_loses_its_torn_line_and_is_compressed() throws IOException {
        Files.writeString(directory.resolve("tidings-20261201T000000.000Z-00000000.jsonl"), "{\"a\":1}\n{\"b\":");
        RotatingFile file = new RotatingFile(directory, 1024 * 1024, Duration.ofHours(1), Clock.systemUTC());

        file.append(List.of("{\"c\":3}"));
        file.close();

        assertThat(gunzip(directory.resolve("tidings-20261201T000000.000Z-00000000.jsonl.gz"))).isEqualTo("{\"a\":1}\n");
        assertThat(Files.readString(file.current())).isEqualTo("{\"c\":3}\n");
        assertThat(names()).hasSize(2);
    }

    @Test
    void a_whole_file_left_behind_is_kept_whole() throws IOException {
        Files.writeString(directory.resolve("tidings-old.jsonl"), "{\"a\":1}\n{\"b\":2}\n");

        new RotatingFile(directory, 1024 * 1024, Duration.ofHours(1), Clock.systemUTC()).append(List.of("{}"));

        assertThat(gunzip(directory.resolve("tidings-old.jsonl.gz"))).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
    }

    @Test
    void the_file_being_written_is_not_taken_for_an_abandoned_one() throws IOException {
        RotatingFile writing = new RotatingFile(directory, 1024 * 1024, Duration.ofHours(1), Clock.systemUTC());
        writing.append(List.of("{\"n\":1}"));

        assertThat(RotatingFile.cutTornLine(writing.current())).isFalse();
        writing.append(List.of("{\"n\":2}"));
        assertThat(Files.readString(writing.current())).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
