package io.tidings.it.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what a file sink wrote, as a warehouse loader would. */
final class SinkFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkFiles() {
    }

    /** Every line of every file, compressed or not, each parsed: a torn or invalid line throws. */
    static List<JsonNode> lines(Path directory) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(file -> file.toString().endsWith(".jsonl") || file.toString().endsWith(".jsonl.gz")).sorted().toList();
        }
        for (Path file : files) {
            try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                    : Files.newInputStream(file)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (!text.isEmpty() && !text.endsWith("\n")) {
                    throw new IOException(file + " ends in a torn line");
                }
                for (String line : text.split("\n")) {
                    if (!line.isEmpty()) {
                        lines.add(JSON.readTree(line));
                    }
                }
            }
        }
        return lines;
    }
}
