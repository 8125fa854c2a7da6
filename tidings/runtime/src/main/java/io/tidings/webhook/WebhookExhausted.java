package io.tidings.webhook;

import java.util.UUID;

import io.tidings.PublicApi;

/** One of a webhook's deliveries went dead: it will not be tried again unless it is retried or recovered. {@code reason} names it and its last error. */
@PublicApi
public record WebhookExhausted(UUID webhookId, UUID tenantId, String reason) implements WebhookNotice {
}
