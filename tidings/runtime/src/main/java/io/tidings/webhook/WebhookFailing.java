package io.tidings.webhook;

import java.util.UUID;

import io.tidings.PublicApi;

/** A webhook's deliveries started failing (recorded again at most once an hour while they do). {@code reason} says how the last one failed. */
@PublicApi
public record WebhookFailing(UUID webhookId, UUID tenantId, String reason) implements WebhookNotice {
}
