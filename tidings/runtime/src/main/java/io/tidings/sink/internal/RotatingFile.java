package io.tidings.sink.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

import org.jboss.logging.Logger;

/**
 * A directory of JSON-lines files that one process appends to: {@code tidings-<time>-<random>.jsonl}
 * while it is written, compressed to {@code .jsonl.gz} once it reaches its size or age. Each append
 * is forced to disk before it returns, and undone (the file cut back to where it was) when it
 * fails, so a file never holds part of a line that was reported written.
 *
 * <p>The file being written is locked. A {@code .jsonl} file that nobody holds was left by a process
 * that died: on first use its torn last line, if any, is cut off and the file compressed.
 */
final class RotatingFile {

    static final String SUFFIX = ".jsonl";
    private static final Logger LOG = Logger.getLogger(RotatingFile.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private FileChannel channel;
    private FileLock lock;
    private Path current;
    private Instant openedAt;
    private long size;

    RotatingFile(Path directory, long maxBytes, Duration maxAge, Clock clock) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Appends one line per record and forces them to disk. @throws IOException with the file as it was */
    synchronized void append(List<String> records) throws IOException {
        if (channel == null) {
            open();
        } else if (size >= maxBytes || !clock.instant().isBefore(openedAt.plus(maxAge))) {
            rotate();
        }
        ByteBuffer lines = ByteBuffer.wrap(String.join("\n", records).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long before = size;
        try {
            while (lines.hasRemaining()) {
                channel.write(lines, before + lines.position());
            }
            channel.force(false);
            size = before + lines.limit();
        } catch (IOException e) {
            undo(before);
            throw e;
        }
    }

    synchronized void close() throws IOException {
        if (channel != null) {
            closeCurrent();
        }
    }

    /** The file being written, or null before the first append. */
    synchronized Path current() {
        return current;
    }

    private void undo(long before) {
        try {
            channel.truncate(before);
            channel.force(false);
        } catch (IOException e) {
            // Left to the next start, which cuts the file back to its last whole line.
            LOG.errorf("Could not cut %s back to %d bytes after a failed write (%s); it is set aside", current, before,
                    e.getMessage());
            abandon();
        }
    }

    private void open() throws IOException {
        Files.createDirectories(directory);
        recoverAbandoned();
        current = directory.resolve("tidings-" + NAME_TIME.format(clock.instant()) + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + SUFFIX);
        channel = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        lock = channel.lock();
        openedAt = clock.instant();
        size = 0;
    }

    private void rotate() throws IOException {
        Path written = current;
        closeCurrent();
        compress(written);
        open();
    }

    private void closeCurrent() throws IOException {
        channel.force(false);
        lock.release();
        channel.close();
        channel = null;
    }

    private void abandon() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock, which is all that matters here
        }
        channel = null;
        current = null;
    }

    private void recoverAbandoned() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                if (!file.equals(current) && cutTornLine(file)) {
                    compress(file);
                }
            }
        }
    }

    /** @return false when another process holds the file: it is still being written */
    static boolean cutTornLine(Path file) throws IOException {
        try (FileChannel abandoned = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock held = tryLock(abandoned)) {
            if (held == null) {
                return false;
            }
            long whole = abandoned.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (whole > 0) {
                one.clear();
                abandoned.read(one, whole - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                whole--;
            }
            if (whole < abandoned.size()) {
                LOG.warnf("%s ended in a torn line (its writer died mid-write): %d bytes cut off", file,
                        abandoned.size() - whole);
                abandoned.truncate(whole);
                abandoned.force(false);
            }
            return true;
        }
    }

    // Null when another process holds it, or this one does (through another channel).
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null;
        }
    }

    private static void compress(Path file) {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Path part = file.resolveSibling(file.getFileName() + ".gz.part");
        try {
            try (InputStream in = Files.newInputStream(file);
                    FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                try (OutputStream zipped = new GZIPOutputStream(Channels.newOutputStream(out))) {
                    in.transferTo(zipped);
                    ((GZIPOutputStream) zipped).finish();
                    out.force(false);
                }
            }
            Files.move(part, gz, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(file);
        } catch (IOException e) {
            // Kept as it is: nothing in it is lost, and the next start tries again.
            LOG.warnf("Could not compress %s (%s); it stays uncompressed", file, e.getMessage());
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a partial .gz.part is ignored by readers and overwritten next time
            }
        }
    }
}
