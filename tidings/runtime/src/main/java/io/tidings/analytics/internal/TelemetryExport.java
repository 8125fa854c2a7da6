package io.tidings.analytics.internal;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.TypePattern;

/**
 * Which event types leave as telemetry: those marked telemetry-allowed in the registry, narrowed
 * by {@code tidings.analytics.allowed-types}. Decided when an event is recorded, so that changing
 * the configuration never rewrites what was already written.
 */
@Singleton
public class TelemetryExport {

    private final List<TypePattern> allowed;
    private final List<TypePattern> privateMetadata;

    @Inject
    public TelemetryExport(AnalyticsConfig config) {
        this.allowed = config.allowedTypes().map(TelemetryExport::patterns).orElse(null);
        this.privateMetadata = config.privateMetadataTypes().map(TelemetryExport::patterns).orElse(List.of());
    }

    /** Whether events of this type may carry their private metadata to subscribers granted it. */
    public boolean sharesPrivateMetadata(EventType type) {
        return privateMetadata.stream().anyMatch(pattern -> pattern.matches(type.name()));
    }

    private static List<TypePattern> patterns(List<String> values) {
        return values.stream().map(TypePattern::unpinned).toList();
    }

    public boolean exports(EventType type) {
        return type.telemetryAllowed() && (allowed == null || allowed.stream().anyMatch(pattern -> pattern.matches(type.name())));
    }
}
