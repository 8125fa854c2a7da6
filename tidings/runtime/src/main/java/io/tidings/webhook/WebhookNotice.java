package io.tidings.webhook;

import java.util.UUID;

import io.tidings.PublicApi;

/**
 * Something that happened to a webhook itself, fired as a CDI event once its {@code webhook:*} event
 * is recorded (and so on its way to the tenant's webhooks that take {@code webhook:*} and to the
 * operator's subscribers of every tenant): observe {@link WebhookFailing}, {@link WebhookExhausted},
 * {@link WebhookDisabled} or {@link WebhookRecovered}, or this type for all of them, to send an e-mail
 * of your own. Synchronous observers run on the thread that writes delivery outcomes: keep them
 * short, or observe with {@code @ObservesAsync}.
 */
@PublicApi
public sealed interface WebhookNotice permits WebhookFailing, WebhookExhausted, WebhookDisabled, WebhookRecovered {

    UUID webhookId();

    UUID tenantId();

    /** Why, in words; null for {@link WebhookRecovered}. */
    String reason();
}
