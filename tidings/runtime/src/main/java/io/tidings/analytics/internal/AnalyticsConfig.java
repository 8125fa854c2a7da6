package io.tidings.analytics.internal;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Telemetry export to an analytics backend. Nothing leaves unless an operator turns it on. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.analytics")
public interface AnalyticsConfig {

    /** Export telemetry. Defaults to false; takes effect only together with {@link #endpoint()}. */
    @WithDefault("false")
    boolean enabled();

    /** Where telemetry batches are POSTed. No default. */
    Optional<URI> endpoint();

    /** Sent as {@code Authorization: Bearer}, or as PostHog's {@code api_key}. No default. */
    Optional<String> apiKey();

    /** The wire format of a batch. Defaults to tidings: {@code {"batch": [capsule, ...]}}. */
    @WithDefault("tidings")
    Format format();

    /** Most telemetry events in one request. Defaults to 500. */
    @WithDefault("500")
    int batchSize();

    /**
     * Patterns of the types that are exported, narrowing the telemetry-allowed ones (an export
     * allow list). Defaults to every type marked telemetry-allowed.
     */
    Optional<List<String>> allowedTypes();

    /**
     * Patterns of the types whose private metadata may go to subscribers granted it. Defaults to
     * none: private metadata is stored and never sent.
     */
    Optional<List<String>> privateMetadataTypes();

    /** Whether tidings.js sends nothing until the page records the user's consent. Defaults to true. */
    @WithDefault("true")
    boolean consentRequired();

    /** Whether tidings.js sends nothing from a browser whose Do Not Track is on. Defaults to true. */
    @WithDefault("true")
    boolean honorDoNotTrack();

    /** Most events one client (an IPv4 address or an IPv6 /64) may send through the relay per minute. Defaults to 60. */
    @WithDefault("60")
    int relayPerMinute();

    /**
     * The origins (such as {@code https://app.example.com}) whose pages may call the relay from a
     * browser; CORS headers are added for them, on the relay's path only. None by default.
     */
    Optional<List<String>> relayOrigins();

    /** The wire formats of telemetry batches. */
    enum Format {
        /** {@code {"batch": [{"event", "insert_id", "timestamp", "schema", "schema_version", "instance_id", "properties"}]}} */
        TIDINGS,
        /** PostHog's batch capture API: {@code {"api_key", "batch": [{"event", "uuid", "timestamp", "properties"}]}} */
        POSTHOG
    }

    /**
     * The secret that pseudonymizes identifiers in telemetry. Defaults to a random secret made at the
     * first start and stored in the database, beside the identifiers it hides: set it (or
     * {@code pseudonym-key-file}) so that a copy of the database cannot re-identify pseudonyms.
     */
    Optional<String> pseudonymKey();

    /** A file holding the pseudonym key instead, as a mounted secret would. */
    Optional<java.nio.file.Path> pseudonymKeyFile();

    default boolean active() {
        return enabled() && endpoint().isPresent();
    }
}
