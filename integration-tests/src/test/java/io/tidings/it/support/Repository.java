package io.tidings.it.support;

import java.nio.file.Path;

/** The repository's files that tests read: their modules sit a folder below its root. */
public final class Repository {

    private Repository() {
    }

    public static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    public static Path file(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }
}
