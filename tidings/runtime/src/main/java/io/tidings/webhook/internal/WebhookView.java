package io.tidings.webhook.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.TypePattern;

/**
 * A webhook as the API shows it. {@code secret} is filled in only in the answer that created the
 * webhook: it is never shown again (a rotation answers with the new one). {@code deprecatedPins}
 * lists its subscriptions that pin a version its type's class is about to stop rendering.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(UUID id, String url, List<String> eventTypes, String description, boolean enabled,
        String disabledReason, Instant lastSuccessAt, Instant failingSince, boolean receivesPrivateMetadata, boolean ordered,
        Instant createdAt, Instant updatedAt, String secret, List<String> headerNames, List<String> deprecatedPins,
        @Schema(nullable = true, description = "Its OAuth 2.0 client, without the secret") JsonNode auth,
        @Schema(nullable = true, description = "Its own waits between attempts; absent when it follows the installation's") List<String> retrySchedule,
        @Schema(nullable = true, description = "The most messages a second it is sent; absent for no limit") Integer maxPerSecond) {

    public static WebhookView of(WebhookSubscriber webhook, EventTypeRegistry types) {
        List<String> patterns = webhook.getEventTypes().stream().sorted().toList();
        return new WebhookView(webhook.getId(), webhook.getUrl(), patterns,
                webhook.getDescription(), webhook.isEnabled(), webhook.getDisabledReason(), webhook.getLastSuccessAt(),
                webhook.getFailingSince(), webhook.receivesPrivateMetadata(),
                webhook.isOrdered(), webhook.getCreatedAt(), webhook.getUpdatedAt(), null, webhook.getHeaderNames(),
                deprecatedPins(patterns, types), WebhookOAuth.view(webhook.getAuthSummary()), retrySchedule(webhook), webhook.getMaxPerSecond());
    }

    WebhookView withSecret(String newSecret) {
        return new WebhookView(id, url, eventTypes, description, enabled, disabledReason, lastSuccessAt, failingSince,
                receivesPrivateMetadata, ordered,
                createdAt, updatedAt, newSecret, headerNames, deprecatedPins, auth, retrySchedule, maxPerSecond);
    }

    private static List<String> retrySchedule(WebhookSubscriber webhook) {
        List<String> schedule = webhook.getRetrySchedule().stream().map(WebhookRetrySchedule::show).toList();
        return schedule.isEmpty() ? null : schedule;
    }

    private static List<String> deprecatedPins(List<String> patterns, EventTypeRegistry types) {
        List<String> deprecated = patterns.stream().map(TypePattern::new).filter(pattern -> pattern.pinnedVersion() > 0)
                .filter(pattern -> types.find(pattern.typePattern())
                        .map(type -> type.deprecated().contains(pattern.pinnedVersion())).orElse(false))
                .map(TypePattern::toString).toList();
        return deprecated.isEmpty() ? null : deprecated;
    }
}
