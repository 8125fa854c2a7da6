package io.tidings.webhook.internal;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/** Something that happened to a webhook itself: {@code webhook:test}, {@code webhook:disabled}. */
@Emits(value = "webhook:test", description = "A test message, sent on request to one webhook.")
@Emits(value = "webhook:disabled", description = "A webhook was disabled because its deliveries kept failing.")
@Entity
@DiscriminatorValue("webhook")
public class WebhookEvent extends Event {

    public static final String TEST = "webhook:test";
    public static final String DISABLED = "webhook:disabled";

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
    public ObjectNode toNotificationPayload() {
        ObjectNode payload = newPayload();
        ObjectNode webhook = objectAt(payload, "webhook").put("id", webhookId.toString());
        if (reason != null) {
            webhook.put("reason", reason);
        }
        return payload;
    }
}
