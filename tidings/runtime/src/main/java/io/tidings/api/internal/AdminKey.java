package io.tidings.api.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.tidings.secrets.internal.KeyFiles;

/**
 * The admin key in force: {@code tidings.api.admin-key}, checked at start (32 characters at least,
 * not a placeholder from {@code deploy/}), or, in a run on the embedded PostgreSQL with none
 * configured, one generated into {@link #GENERATED_FILE} so that the quick start can use it. The
 * key itself is never logged.
 */
@Startup
@Singleton
public class AdminKey {

    static final int MIN_LENGTH = 32;
    static final Path GENERATED_FILE = Path.of(".tidings", "admin-key");
    /** The values the files in {@code deploy/} ship as placeholders. */
    static final Set<String> PLACEHOLDERS = Set.of("change-me-to-32-random-characters", "<32 or more random characters>");
    private static final Logger LOG = Logger.getLogger(AdminKey.class);

    private final Optional<String> key;

    @Inject
    public AdminKey(ApiConfig config) {
        this(config.adminKey(), KeyFiles.embeddedRun(), GENERATED_FILE);
    }

    AdminKey(Optional<String> configured, boolean embeddedRun, Path generatedFile) {
        configured.ifPresent(AdminKey::check);
        if (configured.isEmpty() && embeddedRun) {
            this.key = Optional.of(generated(generatedFile));
        } else {
            this.key = configured;
            if (configured.isEmpty()) {
                LOG.warn("No tidings.api.admin-key is set: tenants and keys cannot be managed, and the admin endpoints answer 401");
            }
        }
    }

    /** Whether {@code given} is the admin key, compared in constant time. */
    public boolean matches(String given) {
        return key.filter(admin -> ApiKeys.sameKey(given, admin)).isPresent();
    }

    /** {@link #matches} for a key known by its SHA-256 only. */
    boolean matchesHash(byte[] keyHash) {
        return key.filter(admin -> java.security.MessageDigest.isEqual(keyHash, ApiKeys.hash(admin))).isPresent();
    }

    private static void check(String key) {
        if (PLACEHOLDERS.contains(key.trim())) {
            throw new IllegalStateException("tidings.api.admin-key is the placeholder shipped in deploy/: "
                    + "set it to 32 or more random characters (for example: openssl rand -hex 32)");
        }
        if (key.length() < MIN_LENGTH) {
            throw new IllegalStateException("tidings.api.admin-key is shorter than " + MIN_LENGTH
                    + " characters: set it to 32 or more random characters (for example: openssl rand -hex 32)");
        }
    }

    private static String generated(Path file) {
        boolean existed = Files.exists(file);
        String key = KeyFiles.readOrCreate(file, () -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        });
        check(key);
        LOG.infof("No tidings.api.admin-key is set: this run on the embedded PostgreSQL %s the admin key in %s (readable by "
                + "you only). Set tidings.api.admin-key for any other installation.", existed ? "uses" : "generated", file.toAbsolutePath());
        return key;
    }
}
