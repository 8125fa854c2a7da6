package io.tidings.webhook;

import java.util.UUID;

import io.tidings.PublicApi;

/** A webhook whose deliveries were failing delivered again. */
@PublicApi
public record WebhookRecovered(UUID webhookId, UUID tenantId, String reason) implements WebhookNotice {
}
