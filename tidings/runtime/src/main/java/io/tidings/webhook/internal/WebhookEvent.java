package io.tidings.webhook.internal;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/**
 * Something that happened to a webhook itself: a test message, or what its deliveries' outcomes
 * tell (see {@link AutoDisable}). Ordered by webhook: a subscriber that keeps order receives one
 * webhook's in the order they were recorded.
 */
@Emits(value = "webhook:test", description = "A test message, sent on request to one webhook.")
@Emits(value = "webhook:failing", description = "A webhook's deliveries started failing; told again at most once an hour while they do.")
@Emits(value = "webhook:exhausted", description = "One of a webhook's deliveries went dead after its last attempt.")
@Emits(value = "webhook:disabled", description = "A webhook was disabled because its deliveries kept failing.")
@Emits(value = "webhook:recovered", description = "A webhook whose deliveries were failing delivered again.")
@Entity
@DiscriminatorValue("webhook")
public class WebhookEvent extends Event {

    public static final String TEST = "webhook:test";
    public static final String DISABLED = "webhook:disabled";
    public static final String FAILING = "webhook:failing";
    public static final String EXHAUSTED = "webhook:exhausted";
    public static final String RECOVERED = "webhook:recovered";

    @Column(name = "webhook_id", updatable = false)
    private UUID webhookId;

    @Column(name = "webhook_reason", updatable = false)
    private String reason;

    protected WebhookEvent() {
    }

    public WebhookEvent(String type, UUID tenantId, UUID webhookId, String reason) {
        super(type, tenantId);
        this.webhookId = webhookId;
        this.reason = reason;
    }

    @Override
    public String orderingKey() {
        return TEST.equals(getType()) ? null : webhookId.toString();
    }

    @Override
    public ObjectNode toNotificationPayload() {
        ObjectNode payload = newPayload();
        ObjectNode webhook = objectAt(payload, "webhook").put("id", webhookId.toString());
        if (reason != null) {
            webhook.put("reason", reason);
        }
        return payload;
    }
}
