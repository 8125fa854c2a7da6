package io.tidings.webhook.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A webhook as the API shows it. {@code secret} is filled in only in the answer that created the
 * webhook: it is never shown again (a rotation answers with the new one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(UUID id, String url, List<String> eventTypes, String description, boolean enabled,
        String disabledReason, Instant lastSuccessAt, Instant failingSince, boolean receivesPrivateMetadata, boolean ordered,
        Instant createdAt, Instant updatedAt, String secret, List<String> headerNames) {

    public static WebhookView of(WebhookSubscriber webhook) {
        return new WebhookView(webhook.getId(), webhook.getUrl(), webhook.getEventTypes().stream().sorted().toList(),
                webhook.getDescription(), webhook.isEnabled(), webhook.getDisabledReason(), webhook.getLastSuccessAt(),
                webhook.getFailingSince(), webhook.receivesPrivateMetadata(),
                webhook.isOrdered(), webhook.getCreatedAt(), webhook.getUpdatedAt(), null, webhook.getHeaderNames());
    }

    WebhookView withSecret(String newSecret) {
        return new WebhookView(id, url, eventTypes, description, enabled, disabledReason, lastSuccessAt, failingSince,
                receivesPrivateMetadata, ordered,
                createdAt, updatedAt, newSecret, headerNames);
    }
}
