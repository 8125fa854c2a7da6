package io.tidings.secrets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Keys kept in files: one a setting points to (a mounted secret), or one a run on the embedded
 * PostgreSQL makes for itself when none is configured, readable by its owner only and read back at
 * the next start so that what was made with it keeps working.
 */
public final class KeyFiles {

    /** Set by the service's embedded PostgreSQL to the URL it serves, for as long as it runs. */
    public static final String EMBEDDED_URL_PROPERTY = "tidings.embedded-postgres.running-url";

    private KeyFiles() {
    }

    /**
     * Whether the application's datasource is an embedded server this JVM started: a run on nothing
     * but a JDK, which may make the keys it lacks for itself. Never so in an installation of its own.
     */
    public static boolean embeddedRun() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                .filter(url -> url.equals(System.getProperty(EMBEDDED_URL_PROPERTY))).isPresent();
    }

    /** The key in the file that {@code setting} names, trimmed. */
    public static String read(Path file, String setting) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(setting + " cannot be read: " + file, e);
        }
    }

    /** @return the key in {@code file}, written there from {@code generator} first if the file is new */
    public static String readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            String key = generator.get();
            Files.writeString(file, key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep a generated key in " + file.toAbsolutePath(), e);
        }
    }
}
