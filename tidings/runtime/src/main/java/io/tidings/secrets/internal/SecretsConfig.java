package io.tidings.secrets.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/** How webhook signing secrets are kept at rest. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.secrets")
public interface SecretsConfig {

    /**
     * The key that seals webhook secrets in the database (AES-256-GCM): 32 random bytes in base64
     * ({@code openssl rand -base64 32}). Never stored in the database. Without it (and without
     * {@code key-file}), the service refuses to start once any webhook secret is stored, except on
     * the embedded PostgreSQL, where one is generated into {@code .tidings/secrets-key}.
     */
    Optional<String> key();

    /** A file holding the key instead, as a mounted secret would. */
    Optional<Path> keyFile();

    /**
     * Keys that sealed secrets before the current one: they still open them until every secret has
     * been sealed again under the current key, which happens at start and on
     * {@code POST /api/secrets/re-encrypt}.
     */
    Optional<List<String>> previousKeys();
}
