package io.tidings.sink.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.BySubscriber;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.sink.SinkRecordFormat;
import io.tidings.stream.StreamSender;

/**
 * The {@code file} kind, a stream: rotating JSON-lines files in a directory, for air-gapped
 * installations and for loading into a warehouse. A batch counts as sent once its lines are forced
 * to disk; a failed write (a full disk, say) leaves nothing of the batch in the file and is retried.
 *
 * <p>Settings ({@code target}): {@code directory} (absolute), {@code max_bytes} (default 64 MiB)
 * and {@code max_age_seconds} (default 3600): a file is compressed and a new one started when the
 * next batch comes after either is reached.
 */
@Singleton
public class FileSender implements StreamSender {

    public static final String KIND = "file";
    static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    static final long DEFAULT_MAX_AGE_SECONDS = 3600;
    private static final Logger LOG = Logger.getLogger(FileSender.class);

    private final Map<Path, RotatingFile> files = new ConcurrentHashMap<>();
    // Disk writes block; they never run on the worker's thread.
    private final ExecutorService writers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "tidings-file-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final SinkRecordFormat records;
    private final Clock clock;

    @Inject
    public FileSender(SinkRecordFormat records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int recordsPerBatch() {
        return 1000;
    }

    // A thousand lines and an fsync on a local disk. Nothing can cut a blocked write short: a disk
    // slower than this only risks a second reader after a database outage longer than the lease.
    @Override
    public Duration longestAttempt() {
        return Duration.ofSeconds(3);
    }

    @Override
    public CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> batch) {
        return BySubscriber.each(batch, part -> CompletableFuture.supplyAsync(() -> write(part), writers));
    }

    @Override
    public void checkTarget(ObjectNode target) {
        String directory = target.path("directory").asText("");
        if (directory.isBlank() || !Path.of(directory).isAbsolute()) {
            throw new InvalidTarget("directory", "directory must be an absolute path, such as /var/lib/tidings/export");
        }
        if (target.path("max_bytes").asLong(DEFAULT_MAX_BYTES) < 1024) {
            throw new InvalidTarget("max_bytes", "max_bytes must be at least 1024");
        }
        if (target.path("max_age_seconds").asLong(DEFAULT_MAX_AGE_SECONDS) < 1) {
            throw new InvalidTarget("max_age_seconds", "max_age_seconds must be at least 1");
        }
    }

    private List<AttemptResult> write(List<ClaimedDelivery> part) {
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        RotatingFile file = files.computeIfAbsent(Path.of(part.get(0).target().path("directory").asText()).normalize(),
                directory -> new RotatingFile(directory, part.get(0).target().path("max_bytes").asLong(DEFAULT_MAX_BYTES),
                        Duration.ofSeconds(part.get(0).target().path("max_age_seconds").asLong(DEFAULT_MAX_AGE_SECONDS)), clock));
        AttemptResult result;
        try {
            file.append(part.stream().map(records::json).toList());
            result = AttemptResult.delivered(started, Duration.ofNanos(System.nanoTime() - startedNanos),
                    "written to " + file.current().getFileName());
        } catch (IOException | RuntimeException e) {
            result = AttemptResult.failed(started, Duration.ofNanos(System.nanoTime() - startedNanos),
                    "could not write to " + file.current() + ": " + e);
        }
        return Collections.nCopies(part.size(), result);
    }

    @PreDestroy
    void close() {
        writers.shutdown();
        files.values().forEach(file -> {
            try {
                file.close();
            } catch (IOException e) {
                LOG.warnf("Could not close %s: %s", file.current(), e.getMessage());
            }
        });
    }
}
