package io.tidings.delivery.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A delivery as the API shows it to the tenant that owns its subscriber.
 *
 * @param payload  the frozen payload, as sent in the message's {@code data}
 * @param attempts every attempt, oldest first; only in the single-delivery view
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(UUID id, UUID eventId, String eventType, UUID webhookId, String status, int attemptCount,
        Instant nextAttemptAt, String lastError, Instant createdAt, Instant deliveredAt,
        @Schema(nullable = true, description = "The HTTP status of the last attempt, when it got one") Integer lastStatusCode,
        @Schema(nullable = true, description = "How long the last attempt took, in milliseconds") Integer lastDurationMs,
        @Schema(type = SchemaType.OBJECT) @JsonRawValue String payload, List<Attempt> attempts) {

    public DeliveryView withAttempts(List<Attempt> attempts) {
        return new DeliveryView(id, eventId, eventType, webhookId, status, attemptCount, nextAttemptAt, lastError,
                createdAt, deliveredAt, lastStatusCode, lastDurationMs, payload, attempts);
    }

    /** One try: when, how long, and what came back. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(Instant attemptedAt, int durationMs, Integer statusCode, String responseExcerpt, String error) {
    }
}
