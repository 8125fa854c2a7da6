package io.tidings.webhook;

import java.util.UUID;

import io.tidings.PublicApi;

/** A webhook was disabled because its deliveries kept failing. {@code reason} says which rule disabled it. */
@PublicApi
public record WebhookDisabled(UUID webhookId, UUID tenantId, String reason) implements WebhookNotice {
}
